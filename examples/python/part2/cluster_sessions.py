"""Lesson 8: sessions on a Redis Cluster, through the corrected interface from lesson 5.

Flask-Session 0.8 accepts only a redis.Redis instance as SESSION_REDIS: a RedisCluster client is not one,
so 0.8 warns and connects to localhost instead. An interface that takes any client with get, set and
delete works with a cluster as it is.
"""
import os

from flask import Flask, session
from redis.cluster import RedisCluster

from fixed_session_interface import FixedSessionInterface

app = Flask(__name__)
app.secret_key = os.environ.get("SECRET_KEY", "change-me")
# One reachable node is enough: the client asks it for the slot map and talks to every master directly.
cluster = RedisCluster.from_url(os.environ.get("REDIS_CLUSTER_URL", "redis://127.0.0.1:7000/0"))
app.session_interface = FixedSessionInterface(cluster)


@app.get("/login/<name>")
def login(name):
    session["user"] = name
    return f"logged in as {name}"


@app.get("/who")
def who():
    return session.get("user", "nobody")
