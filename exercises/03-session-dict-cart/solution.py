from flask import Flask, session

app = Flask(__name__)
app.secret_key = "change me before you deploy"


@app.post("/cart/<item>")
def add(item):
    cart = session.setdefault("cart", {"items": [], "count": 0})
    cart["items"].append(item)
    cart["count"] += 1
    # Changing the nested dict does not touch the session itself: say so, or Flask sends no new cookie.
    session.modified = True
    return {"cart": cart}


@app.get("/cart")
def show():
    return {"cart": session.get("cart", {"items": [], "count": 0})}
