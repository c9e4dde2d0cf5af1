from flask import Flask, session
app = Flask(__name__)
app.secret_key = "x"
@app.post("/cart/<item>")
def add(item):
    old = session.get("cart", {"items": [], "count": 0})
    session["cart"] = {"items": old["items"] + [item], "count": old["count"] + 1}
    return {"cart": session["cart"]}
@app.get("/cart")
def show():
    return {"cart": session.get("cart", {"items": [], "count": 0})}
