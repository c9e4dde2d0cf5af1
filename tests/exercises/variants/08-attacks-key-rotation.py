from flask import Flask, session

OLD_KEY = "b1f0c2d7e4a9-yesterday"
NEW_KEY = "5e8a1c9f07d34b6e8a2f4c1d9b7e3a60-today"

app = Flask(__name__)
app.secret_key = NEW_KEY
app.config.update(SECRET_KEY=NEW_KEY, SECRET_KEY_FALLBACKS=[OLD_KEY])


@app.get("/me")
def me():
    return {"user": session.get("user")}


@app.post("/theme/<name>")
def theme(name):
    session["theme"] = name
    return {"theme": name}
