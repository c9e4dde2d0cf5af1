"""Lesson 7: what a poisoned session value looks like. Disassembled only: nothing here loads it.

Flask-Session 0.3.2 stores sessions with pickle and reads them back with pickle.loads; 0.7 and 0.8
still fall back to pickle.loads for values that are not msgpack or JSON. Anyone who can write to the
store (an exposed Redis, a shared instance, a leaked password) can put bytes like these there.
"""
import pickle
import pickletools
import platform


class ShowsPythonVersion:
    def __reduce__(self):
        # Unpickling calls platform.python_version() and stores its result under "x": harmless, and the
        # answer shows whose Python ran it. An attacker would name os.system or similar instead.
        return (platform.python_version, ())


payload = pickle.dumps({"user": "alice", "x": ShowsPythonVersion()}, protocol=4)

if __name__ == "__main__":
    print(payload.hex())
    pickletools.dis(payload)  # reads the opcodes without running any of them
