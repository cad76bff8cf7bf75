// yanzheng (验证) on an employer's page:
//
//   <script src="https://VERIFIER/embed.js" defer></script>
//   <yanzheng-verifier lang="zh-CN"></yanzheng-verifier>
//
// The element makes a frame of the widget from the verifier's own origin
// (the origin this script came from), with the camera delegated to it, sizes
// the frame to the widget, and turns each result into a `verdict` event on
// the element: event.detail = { verdict, acceptable, signature_verified,
// fields (ID number masked), issuer, trust_list_version,
// revocations_version, revocations_issued_at, checked_at }. A card whose
// revocation data is stale or missing (verdict `revocation_unknown`) is not
// acceptable unless the element has the `accept-stale-revocations` attribute.
// With the `include-payload` attribute the detail also has `payload`, the
// signed QR text: it holds the full ID number and name, for your server.
// Messages are taken only from that frame and that exact origin. Nothing
// goes the other way: the widget ignores the host page (no keys, verdicts or
// trust root can be handed to it). Re-check `payload` on your server with
// POST /v1/verify before you rely on it, and fill forms only from a result
// that is `acceptable` and `signature_verified` (docs/embedding.md).
(() => {
  'use strict';
  const script = document.currentScript;
  if (!script || !script.src) {
    console.error('yanzheng: load embed.js with a <script src> tag (not as a module or inline)');
    return;
  }
  const widgetUrl = new URL('./', script.src);
  const widgetOrigin = widgetUrl.origin;
  const MIN_HEIGHT = 320;
  const MAX_HEIGHT = 6000;

  class YanzhengVerifier extends HTMLElement {
    connectedCallback() {
      if (this.frame) return;
      const src = new URL(widgetUrl);
      src.searchParams.set('embed', '1');
      src.searchParams.set('host', window.location.origin);
      const lang = this.getAttribute('lang');
      if (lang) src.searchParams.set('lang', lang);
      // A card whose only flaw is stale or missing revocation data is
      // `acceptable: false` unless the host opts in.
      if (this.hasAttribute('accept-stale-revocations')) src.searchParams.set('stale', 'accept');
      // The signed payload holds the full ID number and name: only for a host
      // whose server re-verifies it (POST /v1/verify), and only if asked for.
      if (this.hasAttribute('include-payload')) src.searchParams.set('payload', '1');
      const frame = document.createElement('iframe');
      frame.src = src.href;
      frame.allow = 'camera';
      frame.title = this.getAttribute('title') || '证书核验 · Certificate check';
      frame.referrerPolicy = 'no-referrer';
      frame.style.cssText = `display:block;width:100%;border:0;height:${MIN_HEIGHT * 2}px`;
      this.frame = frame;
      this.onMessage = (event) => {
        if (event.origin !== widgetOrigin || event.source !== frame.contentWindow) return;
        const m = event.data;
        if (!m || typeof m !== 'object') return;
        if (m.type === 'yanzheng:resize' && Number.isFinite(m.height)) {
          const h = Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, Math.ceil(m.height)));
          frame.style.height = `${h}px`;
        } else if (m.type === 'yanzheng:verdict' && typeof m.verdict === 'string') {
          const { type, ...detail } = m;
          this.dispatchEvent(new CustomEvent('verdict', { detail, bubbles: true, composed: true }));
        }
      };
      window.addEventListener('message', this.onMessage);
      this.replaceChildren(frame);
    }

    disconnectedCallback() {
      window.removeEventListener('message', this.onMessage);
      this.frame?.remove();
      this.frame = null;
    }
  }

  if (!customElements.get('yanzheng-verifier')) customElements.define('yanzheng-verifier', YanzhengVerifier);
})();
