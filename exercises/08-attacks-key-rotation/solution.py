from flask import Flask, session

OLD_KEY = "b1f0c2d7e4a9-yesterday"
NEW_KEY = "5e8a1c9f07d34b6e8a2f4c1d9b7e3a60-today"

app = Flask(__name__)
app.secret_key = NEW_KEY
# Cookies signed with an older key are still read; every cookie Flask writes from now on uses NEW_KEY.
# Remove OLD_KEY once the longest session lifetime has passed.
app.config["SECRET_KEY_FALLBACKS"] = [OLD_KEY]


@app.get("/me")
def me():
    return {"user": session.get("user")}


@app.post("/theme/<name>")
def theme(name):
    session["theme"] = name
    return {"theme": name}
