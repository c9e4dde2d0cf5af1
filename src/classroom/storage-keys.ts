// The browser's storage keys of the classroom, in one place: the labs' seeds (src/labs/progress.ts), the
// assignment banner, the name form and the class-server link all read them, and none of those should have to load
// another's code to learn a name.

/** localStorage: the open assignment, `{code, savedAt}` (its class code, re-read and re-checked each time). */
export const CLASS_KEY = 'flask-session-lab:class:v1';
/** localStorage: the student's name, as typed in the name form (or the export form). */
export const STUDENT_NAME_KEY = 'flask-session-lab:student-name:v1';
/** localStorage: the key a class server gave this browser's learner, `{server, learner, key}`. */
export const LEARNER_KEY_KEY = 'flask-session-lab:class-key:v1';

/** The key a class server gave this learner, as kept in the browser. */
export interface StoredLearnerKey {
  /** The class's address on its server (the class code's `server`). */
  server: string;
  learner: string;
  key: string;
}

/** The stored learner key when it belongs to the class at `server`, else null. */
export function storedLearnerKey(storage: Pick<Storage, 'getItem'> | null, server: string | undefined): StoredLearnerKey | null {
  if (!storage || !server) return null;
  try {
    const v = JSON.parse(storage.getItem(LEARNER_KEY_KEY) ?? 'null') as Partial<StoredLearnerKey> | null;
    if (!v || v.server !== server || typeof v.learner !== 'string' || typeof v.key !== 'string' || !/^[A-Za-z0-9_-]{16,100}$/.test(v.key)) return null;
    return { server: v.server, learner: v.learner, key: v.key };
  } catch {
    return null;
  }
}
