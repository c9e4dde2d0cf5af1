"""Lesson 7: what a poisoned session value looks like. Disassembled only: nothing here loads it.

Flask-Session 0.3.2 stores sessions with pickle and reads them back with pickle.loads; 0.7 and 0.8
still fall back to pickle.loads for values that are not msgpack or JSON. Anyone who can write to the
store (an exposed Redis, a shared instance, a leaked password) can put bytes like these there.
"""
import pickle
import pickletools


class RunsOnLoad:
    def __reduce__(self):
        # Unpickling calls print(...). An attacker would call os.system or similar instead.
        return (print, ("this line ran inside the web server",))


payload = pickle.dumps({"user": "alice", "x": RunsOnLoad()}, protocol=4)

if __name__ == "__main__":
    print(payload.hex())
    pickletools.dis(payload)  # reads the opcodes without running any of them
