// One-line descriptions of the engine's lifecycle trace events, in English and 简体中文, for the
// lessons' static trace listings.
import type { TraceEvent } from '../engine/flask/trace.ts';
import { traceJson, traceRepr } from '../engine/flask/trace-render.ts';
import type { PyValue } from '../engine/python/values.ts';

export type Lang = 'en' | 'zh-cn';

/** Compact tagged JSON for a value in a trace event (what the cookie would carry). */
export function show(value: PyValue | undefined): string {
  if (value === undefined) return '';
  return traceJson(value) ?? traceRepr(value) ?? '…';
}

/** The step of Flask that emitted an event, as a reader of flask/app.py would name it. */
export function stepName(e: TraceEvent): string {
  switch (e.type) {
    case 'request-received':
      return 'wsgi_app';
    case 'context-pushed':
      return 'RequestContext.push';
    case 'cookie-read':
    case 'signature-checked':
    case 'payload-decoded':
    case 'session-opened':
      return 'open_session';
    case 'session-op':
      return 'view';
    case 'view-returned':
    case 'view-error':
      return 'full_dispatch_request';
    case 'after-request':
      return 'process_response';
    case 'save-decision':
    case 'set-cookie-built':
    case 'vary-added':
      return 'save_session';
    case 'store-op':
      return 'store';
    case 'error':
      return 'handle_exception';
    case 'response-sent':
      return 'response';
  }
}

/** A one-line description of a trace event. */
export function describeEvent(e: TraceEvent, lang: Lang = 'en'): string {
  const zh = lang === 'zh-cn';
  switch (e.type) {
    case 'request-received':
      return zh ? `收到请求 ${e.method} ${e.url}` : `request ${e.method} ${e.url} arrives`;
    case 'context-pushed':
      return zh ? `推入请求上下文，调用 ${e.interface}.open_session` : `request context pushed; ${e.interface}.open_session is called`;
    case 'cookie-read':
      return e.value === null
        ? zh ? `请求中没有名为 "${e.name}" 的 Cookie` : `no "${e.name}" cookie in the request`
        : zh ? `读到 Cookie "${e.name}" = ${e.value}` : `cookie "${e.name}" read: ${e.value}`;
    case 'signature-checked':
      return e.ok
        ? zh ? '签名与时间戳校验通过' : 'signature and age check pass'
        : zh ? `校验失败：${e.errorClass}: ${e.message}` : `check fails: ${e.errorClass}: ${e.message}`;
    case 'payload-decoded':
      return zh
        ? `载荷解码${e.compressed ? '（先 zlib 解压）' : ''}：${show(e.data)}`
        : `payload decoded${e.compressed ? ' (zlib-inflated first)' : ''}: ${show(e.data)}`;
    case 'session-opened':
      if (e.kind === 'loaded') return zh ? `会话从 Cookie 载入：${show(e.data)}` : `session loaded from the cookie: ${show(e.data)}`;
      if (e.kind === 'null') return zh ? '没有 SECRET_KEY：换成 NullSession（可读，写入即报错）' : 'no SECRET_KEY: a NullSession stands in (reads work, writes raise)';
      return zh ? '新建一个空会话' : 'a new, empty session is created';
    case 'session-op': {
      const what = `${e.op}${e.key !== undefined ? ` ${JSON.stringify(e.key)}` : ''}${e.value !== undefined ? ` = ${show(e.value)}` : ''}`;
      const mark = e.modifies ? (zh ? '（modified = True）' : ' (sets modified)') : '';
      return zh ? `视图操作 session：${what}${mark}` : `view: session ${what}${mark}`;
    }
    case 'view-returned':
      if (e.noView === 'no-route') return zh ? `没有路由匹配 ${e.endpoint}，没有视图运行：${e.status}` : `no route matches ${e.endpoint}, no view runs: ${e.status}`;
      if (e.noView === 'method-not-allowed') return zh ? `${e.endpoint} 不接受该方法，没有视图运行：${e.status}` : `${e.endpoint} does not accept the method, no view runs: ${e.status}`;
      if (e.noView === 'automatic-options') return zh ? `Flask 自己回答 OPTIONS（Allow 头列出 ${e.endpoint} 接受的方法），没有视图运行：${e.status}` : `Flask answers OPTIONS itself (Allow lists the methods ${e.endpoint} accepts), no view runs: ${e.status}`;
      if (e.noView === 'before-request') return zh ? `before_request 已返回响应，视图没有运行：${e.status}` : `a before_request function answered, no view runs: ${e.status}`;
      return zh ? `视图 ${e.endpoint} 返回，状态码 ${e.status}` : `view ${e.endpoint} returns ${e.status}`;
    case 'view-error':
      return zh ? `视图抛出异常：${e.error}` : `view raises ${e.error}`;
    case 'after-request':
      return zh ? `after_request 函数 ${e.name} 运行` : `after_request function ${e.name} runs`;
    case 'save-decision':
      if (e.action === 'set-cookie') return zh ? '决定：写出新的 Set-Cookie' : 'decision: write a new Set-Cookie';
      if (e.action === 'delete-cookie') return zh ? '决定：会话已清空，删除 Cookie' : 'decision: the session was emptied, delete the cookie';
      return zh ? '决定：什么都不发' : 'decision: send nothing';
    case 'set-cookie-built':
      return `Set-Cookie: ${e.header}`;
    case 'vary-added':
      return zh ? '加上 Vary: Cookie' : 'Vary: Cookie added';
    case 'store-op':
      return `${e.command} ${e.key}`;
    case 'error':
      return zh ? `出错：${e.error}` : `error: ${e.error}`;
    case 'response-sent':
      return zh ? `响应发出，状态码 ${e.status}` : `response sent with status ${e.status}`;
  }
}
