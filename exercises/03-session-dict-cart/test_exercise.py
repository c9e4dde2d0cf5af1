from flasklab import client, expect, expect_true, session_data, set_cookies, task

import exercise


@task("persist")
def test_first_item_is_saved():
    c = client(exercise.app)
    c.post("/cart/apple")
    expect(c.get("/cart").get_json()["cart"]["items"], ["apple"], "cart.first_item")


@task("persist")
def test_second_item_is_saved():
    c = client(exercise.app)
    c.post("/cart/apple")
    c.post("/cart/pear")
    expect(c.get("/cart").get_json()["cart"], {"items": ["apple", "pear"], "count": 2}, "cart.second_item")


@task("persist")
def test_cookie_holds_the_whole_cart():
    c = client(exercise.app)
    for item in ("apple", "pear", "fig"):
        r = c.post("/cart/" + item)
        expect_true(set_cookies(r, "session"), "cart.no_set_cookie", item=item)
    expect(session_data(c)["cart"]["items"], ["apple", "pear", "fig"], "cart.cookie_content")


@task("quiet")
def test_reading_sends_no_cookie():
    c = client(exercise.app)
    c.post("/cart/apple")
    r = c.get("/cart")
    expect(set_cookies(r, "session"), [], "cart.read_sets_cookie")
