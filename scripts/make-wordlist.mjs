#!/usr/bin/env node
// Writes public/wordlists/flask-secrets.txt: the cookie inspector's built-in list of weak SECRET_KEYs.
// Common placeholder keys from tutorials and the syllabus posts come first, then systematic variants
// (case, digits, years, key/secret suffixes). Deterministic: rerun after editing the lists below.
import { writeFileSync } from 'node:fs';

// Keys seen verbatim in the syllabus posts and Flask's old documentation.
const seen = ['dev', 'secret', 'GuHanZhe', 'suijksdfsd', 'asdfasdfasd', 'A0Zr98j/3yX R~XHH!jmN]LWX/,?RT'];

// Placeholders people type when a tutorial says "set a secret key".
const bases = `
secret secret_key secretkey secret-key SECRET_KEY SecretKey mysecret my_secret my-secret mysecretkey my_secret_key
supersecret super_secret super-secret supersecretkey super_secret_key super-secret-key topsecret top_secret
verysecret very_secret notsecret not_secret nosecret itsasecret shhh shh hush hidden private privatekey
dev development develop devkey dev_key dev-key debug test testing tests test_key testkey demo example sample
default defaultkey changeme change_me change-me changethis change_this replaceme replace_me please_change
todo fixme temp tmp key keys thekey my_key mykey appkey app_key app-key app appsecret app_secret flask
flaskkey flask_key flask-key flasksecret flask_secret flask-secret flaskapp flask_app session sessionkey
session_key session-secret cookie cookiesecret cookie_secret signing signingkey signing_key salt
password passw0rd p@ssw0rd pass passwd pwd admin administrator root toor guest user login qwerty qwertyuiop
asdf asdfgh asdfghjkl zxcvbnm abc abcd abcde abcdef abc123 abcd1234 a1b2c3 letmein welcome hello helloworld
hello_world iloveyou monkey dragon master sunshine princess football baseball shadow michael jesus ninja
trustno1 starwars whatever freedom 111111 000000 123123 654321 666666 888888 1234 12345 123456 1234567
12345678 123456789 1234567890 0123456789 0000 1111 2222 9999 42 1337 31337 xyz xxx xxxx aaa aaaa
random randomkey random_key random_string randomstring something somethingsecret some_secret somesecret
anything unknown none null undefined true false yes no ok python python3 django rails node express
jwt jwtsecret jwt_secret token tokensecret api apikey api_key api-key apisecret api_secret web website
server backend blog myblog myapp my_app project myproject hackme hack hacker pwned ctf flag crypto
keyboard cat dog love fish apple orange banana chocolate coffee tea pizza secret123 secret1 secret! s3cr3t
s3cret secr3t 5ecret zhangsan lisi wangwu nihao woaini laji hehe haha xixi baidu tencent alibaba
`.split(/\s+/).filter(Boolean);

const suffixes = ['', '1', '12', '123', '1234', '!', '!!', '?', '.', '_', '0', '01', '007', '2018', '2019', '2020', '2021', '2022', '2023', '2024', '2025', '_key', '-key', 'key', '_secret', 'secret'];
const cases = (w) => [w, w.toLowerCase(), w.toUpperCase(), w[0].toUpperCase() + w.slice(1)];

const out = new Set(seen);
for (const base of bases) for (const suffix of ['', '123', '1', '!']) for (const w of cases(base)) out.add(w + suffix);
for (const base of bases) for (const suffix of suffixes) out.add(base + suffix);
for (const base of bases) out.add([...base].reverse().join(''));

const lines = [...out];
writeFileSync(new URL('../public/wordlists/flask-secrets.txt', import.meta.url), lines.join('\n') + '\n');
console.log(`wrote ${lines.length} candidate keys`);
