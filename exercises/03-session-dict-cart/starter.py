from flask import Flask, session

app = Flask(__name__)
app.secret_key = "change me before you deploy"


@app.post("/cart/<item>")
def add(item):
    # The first visit creates the cart; later visits add to it.
    cart = session.setdefault("cart", {"items": [], "count": 0})
    cart["items"].append(item)
    cart["count"] += 1
    return {"cart": cart}


@app.get("/cart")
def show():
    return {"cart": session.get("cart", {"items": [], "count": 0})}
