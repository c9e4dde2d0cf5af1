// The weak keys lab 1 signs with, one per learner (chosen by the seed). Every one is a line of the course's wordlist
// (public/wordlists/flask-secrets.txt, which the inspector and `session-lab crack` use), so the crack always ends;
// tests/labs/weak-secret.test.ts checks that.
export const WEAK_KEYS: readonly string[] = [
  'SECRET', 'Super-secret123', 'SHHH', 'DEV-KEY!', 'changeme1', 'Key', 'FLASK!', 'session-secret1', 'Passwd', 'ASDF!',
  'welcome!', 'Shadow123', '1234567890123', 'random_string!', 'False123', 'JWT_SECRET', 'server!', 'Ctf123', 'COFFEE',
  'WANGWU!', 'secret_key2021', 'my-secret12', 'supersecretkey2020', 'very_secretkey', 'hush_', 'develop_key', 'tests_',
  'default2022', 'replaceme12', 'tmp007', 'appkey2025', 'flaskkey2021', 'flaskapp_secret', 'cookiesecret2019',
  'password_secret', 'administrator0', 'qwerty2023', 'abcd12', 'letmein2018', 'monkey_key', 'whatever2020', '666666key',
  '123456789_', '99992024', 'aaa1234', 'randomstring2020', 'unknown_secret', 'node2024', 'web_key', 'pwned2020',
  'dogkey', 'coffee_', 's3cr3t2022', 'wangwusecret', 'baidu01',
];
