// The live room's calls to /api/v1 (the same API other clients use), and the one place that turns a
// refusal into the server's own words on screen: a tap that does nothing is the worst answer.
const csrf = document.querySelector("meta[name=csrf-token]")?.content;

// The message of an API error body ({"error": {"message", "fields"}}), or `fallback`.
export async function refusal(response, fallback) {
  try {
    const error = (await response.json()).error ?? {};
    const fields = error.fields ? Object.values(error.fields) : [];
    return [error.message, ...fields].filter(Boolean).join(" ") || fallback;
  } catch {
    return fallback;
  }
}

// A caller that shows each refusal in `alert` (hidden again by the next accepted call) and tells
// `onStale` about a 409, so the screen takes the fresh state.
export function apiCaller({ alert, text, refused, offline, onStale }) {
  const show = (message) => { text.textContent = message; alert.hidden = false; };
  return async function call(method, path, body) {
    let response;
    try {
      response = await fetch(`/api/v1${path}`, {
        method, credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    } catch {
      show(offline);
      return { ok: false, status: 0 };
    }
    if (response.ok) {
      alert.hidden = true;
    } else {
      show(await refusal(response.clone(), refused));
      if (response.status === 409) onStale();
    }
    return response;
  };
}
