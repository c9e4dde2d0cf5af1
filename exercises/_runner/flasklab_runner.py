"""Runs a learner's exercise against its tests and answers with a results.json (version 3) text.

Pure Python with no imports beyond the standard library, Flask and its own ``flasklab`` module, so the same
file runs under CPython and under Pyodide and gives the same verdict in both.

Entry points (both take and return JSON text):

``check(request_json)``
    request = {"learner": code, "tests": test_exercise.py text, "messages": {key: text},
    "lang": "en" | "zh-CN", "output_cap": int}.  The learner's code is loaded as the module ``exercise``
    from the file name ``exercise.py``; each test function ``test_*`` of the tests runs, in the order
    written, against a fresh copy of both modules, so no state leaks from one test to the next.

``run_snippet(request_json)``
    request = {"code": str, "filename": str}; answer = {"stdout", "stderr", "exception", "exchanges"}.

The JavaScript side stops a run that takes too long; nothing here measures time.
"""

import io
import json
import linecache
import sys
import traceback
import types

import flasklab

LEARNER_FILE = "exercise.py"
TESTS_FILE = "test_exercise.py"
DEFAULT_OUTPUT_CAP = 2000

# The runner's own words, in both languages. An exercise's messages may override any of them.
RUNNER_TEXT = {
    "en": {
        "runner.syntax_error": "Your code does not compile: {error} (exercise.py, line {line}).",
        "runner.import_error": "Your code stopped with an exception while it was loading:\n{traceback}",
        "runner.tests_error": "The tests of this exercise could not be loaded:\n{traceback}",
        "runner.no_tests": "This exercise has no tests.",
        "runner.assert_failed": "This check did not hold: {source}",
        "runner.assert_failed_plain": "A check did not hold.",
        "runner.exception": "Your code raised {error}:\n{traceback}",
        "runner.test_exception": "The test stopped on {error} (an earlier step of your code may not have done its part):\n{traceback}",
        "runner.expected": "Expected: {value}",
        "runner.actual": "Actual: {value}",
        "runner.output_truncated": "[output cut after {cap} characters]",
        "runner.summary_fail": "{failed} of {total} tests failed.",
        "runner.system_exit": "Your code called exit() ({code}).",
        "runner.no_cookie": "The browser holds no \"{name}\" cookie: the app never set one (or deleted it).",
        "runner.unreadable_cookie": "The \"{name}\" cookie is not a Flask session cookie.",
    },
    "zh-CN": {
        "runner.syntax_error": "代码无法编译：{error}（exercise.py 第 {line} 行）。",
        "runner.import_error": "代码在加载时抛出异常：\n{traceback}",
        "runner.tests_error": "本练习的测试无法加载：\n{traceback}",
        "runner.no_tests": "本练习没有测试。",
        "runner.assert_failed": "这项检查未通过：{source}",
        "runner.assert_failed_plain": "有一项检查未通过。",
        "runner.exception": "代码抛出了 {error}：\n{traceback}",
        "runner.test_exception": "测试在 {error} 处中断（可能是代码前面的某一步没有完成它该做的事）：\n{traceback}",
        "runner.expected": "期望：{value}",
        "runner.actual": "实际：{value}",
        "runner.output_truncated": "［输出超过 {cap} 个字符，其余部分已截去］",
        "runner.summary_fail": "{total} 个测试中有 {failed} 个未通过。",
        "runner.system_exit": "代码调用了 exit()（{code}）。",
        "runner.no_cookie": "浏览器里没有“{name}”Cookie：应用从未设置过它（或者已经删除了它）。",
        "runner.unreadable_cookie": "“{name}”Cookie 不是 Flask 的会话 Cookie。",
    },
}


class CappedWriter(io.TextIOBase):
    """A text stream that keeps the first ``cap`` characters written to it and counts the rest."""

    def __init__(self, cap):
        super().__init__()
        self.cap = max(0, int(cap))
        self.parts = []
        self.kept = 0
        self.dropped = 0

    def writable(self):
        return True

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not " + type(text).__name__)
        room = self.cap - self.kept
        if room > 0:
            piece = text[:room]
            self.parts.append(piece)
            self.kept += len(piece)
            self.dropped += len(text) - len(piece)
        else:
            self.dropped += len(text)
        return len(text)

    def flush(self):
        pass

    def text(self):
        return "".join(self.parts)


def _register_source(filename, source):
    """Lets tracebacks and inspect read a file that exists only in memory."""
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)


def _load_module(name, filename, code_obj, snippet=False):
    module = types.ModuleType(name)
    module.__file__ = filename
    if snippet:
        module.__flasklab_snippet__ = True
    sys.modules[name] = module
    exec(code_obj, module.__dict__)
    return module


def _format_tb(exc, keep_files):
    """The traceback of ``exc`` with only the frames of the given (in-memory) files, then the exception line."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename in keep_files]
    lines = traceback.format_list(frames)
    lines.extend(traceback.format_exception_only(type(exc), exc))
    return "".join(lines).rstrip("\n")


def _exc_name(exc):
    text = str(exc)
    name = type(exc).__name__
    module = type(exc).__module__
    if module not in ("builtins", "exercise", "test_exercise", "__main__"):
        name = module + "." + name
    return name + (": " + text if text else "")


class _Texts:
    def __init__(self, lang, messages):
        self.base = dict(RUNNER_TEXT.get(lang) or RUNNER_TEXT["en"])
        self.base.update(messages or {})

    def __call__(self, key, /, **params):
        return flasklab.format_message(self.base, key, params)


def _failure_message(exc, texts):
    """The text a learner reads for a failed test, expected and actual included when known."""
    try:
        return _failure_text(exc, texts)
    except Exception:  # noqa: BLE001 - a message that cannot be built must not stop the run
        return "{}: {}".format(type(exc).__name__, getattr(exc, "key", "") or "")


def _failure_text(exc, texts):
    if isinstance(exc, flasklab.Failure):
        text = texts(exc.key, **exc.params)
        if exc.has_expected:
            text += "\n" + texts("runner.expected", value=flasklab.show(exc.expected))
            text += "\n" + texts("runner.actual", value=flasklab.show(exc.actual))
        return text
    if str(exc):
        return str(exc)
    # A bare assert in the tests: quote the line that failed.
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == TESTS_FILE]
    if frames and frames[-1].line:
        return texts("runner.assert_failed", source=frames[-1].line.strip())
    return texts("runner.assert_failed_plain")


def _expected_actual(exc):
    if isinstance(exc, flasklab.Failure) and exc.has_expected:
        return flasklab.show(exc.expected), flasklab.show(exc.actual)
    return None, None


def _output_text(writer, texts):
    out = writer.text()
    if writer.dropped:
        out += ("\n" if out and not out.endswith("\n") else "") + texts("runner.output_truncated", cap=writer.cap)
    return out or None


def _top_error(texts, message):
    return json.dumps(
        {"version": 3, "status": "error", "message": message, "tests": [], "exchanges": {}}, ensure_ascii=False
    )


def check(request_json):
    """Runs the tests of one exercise on the learner's code; returns results.json v3 (plus exchanges) as text."""
    req = json.loads(request_json)
    learner = req.get("learner")
    tests_src = req.get("tests")
    lang = req.get("lang") or "en"
    texts = _Texts(lang, req.get("messages") or {})
    cap = req.get("output_cap")
    cap = DEFAULT_OUTPUT_CAP if not isinstance(cap, int) or cap < 0 else cap
    if not isinstance(learner, str) or not isinstance(tests_src, str):
        raise ValueError('check(): the request needs "learner" and "tests" as strings')

    flasklab.configure(texts.base, lang)
    _register_source(LEARNER_FILE, learner)
    _register_source(TESTS_FILE, tests_src)

    try:
        learner_code = compile(learner, LEARNER_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:
        err = "{}: {}".format(type(exc).__name__, exc.msg)
        return _top_error(texts, texts("runner.syntax_error", error=err, line=exc.lineno or 0))
    try:
        tests_code = compile(tests_src, TESTS_FILE, "exec", dont_inherit=True)
    except SyntaxError as exc:
        return _top_error(texts, texts("runner.tests_error", traceback="{} (line {})".format(exc.msg, exc.lineno)))

    saved_modules = {n: sys.modules.get(n) for n in ("exercise", "test_exercise")}
    saved_streams = (sys.stdout, sys.stderr)
    results = []
    exchanges = {}
    try:
        # First load: find the tests and report code that cannot even load.
        first_out = CappedWriter(cap)
        sys.stdout = sys.stderr = first_out
        try:
            _load_module("exercise", LEARNER_FILE, learner_code)
        except BaseException as exc:  # noqa: BLE001 - any failure of the learner's code is reported, never raised
            sys.stdout, sys.stderr = saved_streams
            if isinstance(exc, KeyboardInterrupt):
                raise
            if isinstance(exc, SystemExit):
                return _top_error(texts, texts("runner.system_exit", code=exc.code))
            return _top_error(texts, texts("runner.import_error", traceback=_format_tb(exc, (LEARNER_FILE,))))
        try:
            tests_module = _load_module("test_exercise", TESTS_FILE, tests_code)
        except BaseException as exc:  # noqa: BLE001
            sys.stdout, sys.stderr = saved_streams
            if isinstance(exc, KeyboardInterrupt):
                raise
            tb = _format_tb(exc, (LEARNER_FILE, TESTS_FILE))
            if isinstance(exc, ImportError) and getattr(exc, "name", None) == "exercise":
                return _top_error(texts, texts("runner.import_error", traceback=tb))
            return _top_error(texts, texts("runner.import_error", traceback=tb))
        finally:
            sys.stdout, sys.stderr = saved_streams
        names = [
            n
            for n, v in vars(tests_module).items()
            if n.startswith("test_") and isinstance(v, types.FunctionType) and v.__module__ == "test_exercise"
        ]
        if not names:
            return _top_error(texts, texts("runner.no_tests"))

        for name in names:
            results.append(_run_one(name, learner_code, tests_code, texts, cap, exchanges))
    finally:
        sys.stdout, sys.stderr = saved_streams
        flasklab.reset_recording()
        flasklab.restore_clock()
        for n, m in saved_modules.items():
            if m is None:
                sys.modules.pop(n, None)
            else:
                sys.modules[n] = m

    failed = sum(1 for r in results if r["status"] != "pass")
    answer = {
        "version": 3,
        "status": "pass" if failed == 0 else "fail",
        "message": None,
        "tests": results,
        "exchanges": exchanges,
    }
    return json.dumps(answer, ensure_ascii=False)


def _run_one(name, learner_code, tests_code, texts, cap, exchanges):
    out = CappedWriter(cap)
    saved = (sys.stdout, sys.stderr)
    recorded = flasklab.start_recording()
    status, message, expected, actual = "pass", None, None, None
    fn = None
    sys.stdout = sys.stderr = out
    try:
        _load_module("exercise", LEARNER_FILE, learner_code)
        module = _load_module("test_exercise", TESTS_FILE, tests_code)
        fn = getattr(module, name)
        fn()
    except AssertionError as exc:
        status = "fail"
        message = _failure_message(exc, texts)
        expected, actual = _expected_actual(exc)
    except KeyboardInterrupt:
        raise
    except SystemExit as exc:
        status = "error"
        message = texts("runner.system_exit", code=exc.code)
    except BaseException as exc:  # noqa: BLE001 - the learner's exception becomes this test's message
        status = "error"
        frames = traceback.extract_tb(exc.__traceback__)
        own = [f for f in frames if f.filename in (LEARNER_FILE, TESTS_FILE)]
        key = "runner.exception" if own and own[-1].filename == LEARNER_FILE else "runner.test_exception"
        message = texts(key, error=_exc_name(exc), traceback=_format_tb(exc, (LEARNER_FILE, TESTS_FILE)))
    finally:
        sys.stdout, sys.stderr = saved
        flasklab.stop_recording()
        flasklab.restore_clock()
    exchanges[name] = recorded
    result = {
        "name": name,
        "status": status,
        "message": message,
        "output": _output_text(out, texts),
        "task_id": getattr(fn, "task_id", None) if fn else None,
        "test_code": _test_code(fn),
    }
    if expected is not None:
        result["expected"] = expected
        result["actual"] = actual
    return result


def _test_code(fn):
    if fn is None:
        return ""
    try:
        import inspect

        return inspect.getsource(fn)
    except (OSError, TypeError):
        return ""


def run_snippet(request_json):
    """Runs a lesson snippet; returns {"stdout", "stderr", "exception", "exchanges"} as JSON text.

    The snippet's ``__name__`` is its file name without ``.py``, so an ``if __name__ == "__main__"`` block
    (usually ``app.run()``) does not start a server.
    """
    req = json.loads(request_json)
    code = req.get("code")
    filename = req.get("filename") or "snippet.py"
    cap = req.get("output_cap")
    cap = 20000 if not isinstance(cap, int) or cap < 0 else cap
    if not isinstance(code, str):
        raise ValueError('run_snippet(): the request needs "code" as a string')
    _register_source(filename, code)
    out, err = CappedWriter(cap), CappedWriter(cap)
    saved = (sys.stdout, sys.stderr)
    recorded = flasklab.start_recording()
    exception = None
    modname = filename.rsplit("/", 1)[-1]
    modname = modname[:-3] if modname.endswith(".py") else modname
    if not modname.isidentifier() or (modname in sys.modules and not hasattr(sys.modules[modname], "__flasklab_snippet__")):
        # Never stand in for a module already loaded (a snippet named json.py must not replace json).
        modname = "snippet"
    saved_module = sys.modules.get(modname)
    try:
        sys.stdout, sys.stderr = out, err
        code_obj = compile(code, filename, "exec", dont_inherit=True)
        _load_module(modname, filename, code_obj, snippet=True)
    except KeyboardInterrupt:
        raise
    except SyntaxError as exc:
        exception = "".join(traceback.format_exception_only(type(exc), exc)).rstrip("\n")
    except BaseException as exc:  # noqa: BLE001
        exception = _format_tb(exc, (filename,))
    finally:
        sys.stdout, sys.stderr = saved
        flasklab.stop_recording()
        flasklab.restore_clock()
        if saved_module is None:
            sys.modules.pop(modname, None)
        else:
            sys.modules[modname] = saved_module
    note = RUNNER_TEXT["en"]["runner.output_truncated"].format(cap=cap)
    answer = {
        "stdout": out.text() + (("\n" + note) if out.dropped else ""),
        "stderr": err.text() + (("\n" + note) if err.dropped else ""),
        "exception": exception,
        "exchanges": recorded,
    }
    return json.dumps(answer, ensure_ascii=False)


def main(argv):
    """Command line use, for the tests that run this file under CPython:

    ``check`` / ``snippet``: one JSON request on stdin, its answer on stdout.
    ``check-many``: one check request per line, one answer per line, all in this one process.
    ``batch``: one ``{"fn": "check" | "run_snippet", "request": {...}}`` per line, one answer per line.
    """
    modes = ("check", "snippet", "check-many", "batch")
    if len(argv) != 2 or argv[1] not in modes:
        sys.stderr.write("usage: flasklab_runner.py " + "|".join(modes) + " < requests\n")
        return 2
    data = sys.stdin.read()
    if argv[1] == "check":
        sys.stdout.write(check(data) + "\n")
    elif argv[1] == "snippet":
        sys.stdout.write(run_snippet(data) + "\n")
    else:
        for line in data.splitlines():
            if not line.strip():
                continue
            if argv[1] == "check-many":
                sys.stdout.write(check(line) + "\n")
                continue
            call = json.loads(line)
            fn = {"check": check, "run_snippet": run_snippet}[call["fn"]]
            sys.stdout.write(fn(json.dumps(call["request"])) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
