from flasklab import client, cookie, expect, task

import exercise


def two_tabs():
    """One browser, two tabs: the same session cookie, two clients. Returns (tab1, tab2, overlap).

    overlap(fn) arranges that, during tab1's next request, fn() runs after the view has finished and
    before the session is saved: the moment a second request on another worker can slip in.
    """
    pending = []

    @exercise.app.after_request
    def other_request_in_between(response):
        while pending:
            pending.pop()()
        return response

    tab1 = client(exercise.app)
    tab1.post("/cart/apple")
    tab2 = client(exercise.app)
    tab2.set_cookie("session", cookie(tab1))
    return tab1, tab2, pending.append


@task("cart")
def test_items_add_up():
    c = client(exercise.app)
    for item in ("apple", "pear", "fig"):
        c.post("/cart/" + item)
    expect(c.get("/cart").get_json()["cart"], ["apple", "pear", "fig"], "lost.sequence")


@task("cart")
def test_each_visitor_has_a_cart():
    a, b = client(exercise.app), client(exercise.app)
    a.post("/cart/apple")
    b.post("/cart/pear")
    expect([a.get("/cart").get_json()["cart"], b.get("/cart").get_json()["cart"]], [["apple"], ["pear"]], "lost.separate")


@task("cart")
def test_new_visitor_has_empty_cart():
    expect(client(exercise.app).get("/cart").get_json()["cart"], [], "lost.empty")


@task("interleaved")
def test_overlapping_requests_keep_both_items():
    tab1, tab2, overlap = two_tabs()
    overlap(lambda: tab2.post("/cart/pear"))
    tab1.post("/cart/fig")
    expect(sorted(tab1.get("/cart").get_json()["cart"]), ["apple", "fig", "pear"], "lost.overlap")


@task("interleaved")
def test_both_tabs_see_every_item():
    tab1, tab2, overlap = two_tabs()
    overlap(lambda: tab1.post("/cart/pear"))
    tab2.post("/cart/fig")
    expect(sorted(tab2.get("/cart").get_json()["cart"]), ["apple", "fig", "pear"], "lost.overlap_other")
    expect(sorted(tab1.get("/cart").get_json()["cart"]), ["apple", "fig", "pear"], "lost.overlap_other")
