"""Lab 1, weak secret, as a real Flask app (run by exercises/_runner/flasklab_labs.py in Pyodide).

Flask's own signed-cookie session, signed with a key from the course's wordlist (vulnerable) or with 32 random
bytes (fixed); both come from the seed as in src/labs/weak-secret/app.ts, so one seed gives one key in both. The
learner logs in as guest, cracks the key of that cookie, signs {"user": "admin"} with it and opens /admin. The goal
is observed by the app: /admin served to a session whose user is admin, which Flask only loads from a cookie
whose signature holds under the app's key.
"""

from flask import Flask, session

from flasklab_labs import redirect, text


def secret_key(lab):
    """A line of the wordlist (``lab.data["weak_keys"]``, from keys.ts) or 64 hex digits, drawn from the seed."""
    stream = lab.seeded("weak-secret/key")
    if lab.mode == "vulnerable":
        keys = lab.data["weak_keys"]
        return keys[stream.index(len(keys))]
    return stream.hex(32)


def create(lab):
    prefix = lab.prefix
    app = Flask("flasklab_lab_weak_secret", root_path="/labs/weak-secret")
    app.config.update(SECRET_KEY=secret_key(lab), SESSION_COOKIE_PATH=prefix or "/")

    @app.route("/")
    def index():
        return text(
            "\n".join(
                [
                    "Lab 1: weak secret. Routes:",
                    "  GET %s/login    log in as guest (sets the session cookie)" % prefix,
                    "  GET %s/whoami   who the session says you are" % prefix,
                    "  GET %s/admin    for the user admin only" % prefix,
                    "  GET %s/logout   clear the session" % prefix,
                ]
            )
        )

    @app.route("/login")
    def login():
        session["user"] = "guest"
        return redirect("%s/whoami" % prefix)

    @app.route("/whoami")
    def whoami():
        user = session.get("user")
        return text("You are %s." % user) if isinstance(user, str) else text("You are not logged in.")

    @app.route("/admin")
    def admin():
        user = session.get("user")
        if user != "admin":
            who = "you are %s" % user if isinstance(user, str) else "you are not logged in"
            return text("Forbidden: /admin is for admin, and %s." % who, 403)
        lab.reach_goal()
        return text("Welcome, admin. The app served /admin to your forged session: lab solved.")

    @app.route("/logout")
    def logout():
        session.clear()
        return redirect("%s/whoami" % prefix)

    return app
