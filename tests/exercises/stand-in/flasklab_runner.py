"""A minimal stand-in with the runner's two entry points, for the runtime's own tests only: runs each test_*
function of the tests against the learner's module and answers with a results.json v3 text."""
import io
import json
import sys
import traceback
import types


def check(request_json):
    req = json.loads(request_json)
    try:
        code = compile(req["learner"], "exercise.py", "exec")
    except SyntaxError as exc:
        return json.dumps({"version": 3, "status": "error", "message": "SyntaxError line %s" % exc.lineno, "tests": []})
    module = types.ModuleType("exercise")
    sys.modules["exercise"] = module
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    tests = []
    try:
        try:
            exec(code, module.__dict__)
        except Exception as exc:
            return json.dumps({"version": 3, "status": "error", "message": traceback.format_exc(), "tests": []})
        scope = {}
        exec(compile(req["tests"], "test_exercise.py", "exec"), scope)
        for name, fn in scope.items():
            if not name.startswith("test_"):
                continue
            try:
                fn()
                tests.append({"name": name, "status": "pass", "message": None})
            except Exception as exc:
                tests.append({"name": name, "status": "fail", "message": "%s: %s" % (type(exc).__name__, exc)})
    finally:
        sys.stdout = saved
    cap = req.get("output_cap", 2000)
    for t in tests:
        t.update({"output": out.getvalue()[:cap] or None, "task_id": None, "test_code": ""})
    status = "pass" if tests and all(t["status"] == "pass" for t in tests) else "fail"
    return json.dumps({"version": 3, "status": status, "message": None, "tests": tests, "exchanges": {}})


def run_snippet(request_json):
    req = json.loads(request_json)
    out = io.StringIO()
    saved = sys.stdout
    sys.stdout = out
    exception = None
    try:
        exec(compile(req["code"], req["filename"], "exec"), {"__name__": "__main__"})
    except Exception:
        exception = traceback.format_exc()
    finally:
        sys.stdout = saved
    return json.dumps({"stdout": out.getvalue(), "stderr": "", "exception": exception, "exchanges": []})
