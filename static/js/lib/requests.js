/** A page's JSON requests to its own routes: the answer, or a refusal carrying the server's reason (or, when the
 * network failed, the message the page gives). */

export class Refused extends Error {}

export async function requestJson(url, method, payload, offline) {
  let response;
  try {
    response = await fetch(url, {
      method, cache: 'no-store', headers: payload === undefined ? {} : { 'Content-Type': 'application/json' },
      body: payload === undefined ? undefined : JSON.stringify(payload),
    });
  } catch (error) {
    throw new Refused(offline);
  }
  const answer = await response.json().catch(() => ({}));
  if (!response.ok) throw new Refused(answer.error || response.statusText);
  return answer;
}
