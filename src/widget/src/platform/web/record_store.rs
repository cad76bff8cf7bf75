//! The inspection record in IndexedDB (database `yanzheng`, store `checks`,
//! one JSON line per check), and the CSV download. Nothing is sent
//! anywhere: the record leaves the device only as the file the inspector
//! downloads.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::Closure;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStoreParameters, IdbRequest, IdbTransactionMode};

use crate::platform::{parse_json, to_json};
use crate::record::RecordEntry;

const DATABASE: &str = "yanzheng";
const STORE: &str = "checks";

fn js_error(what: &str, e: &JsValue) -> String {
    match e.as_string() {
        Some(s) => format!("{what}: {s}"),
        None => what.to_string(),
    }
}

/// Resolves with the request's result once it succeeds.
async fn done(request: &IdbRequest) -> Result<JsValue, String> {
    let mut wire = |resolve: Function, reject: Function| {
        let req = request.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &req.result().unwrap_or(JsValue::UNDEFINED));
        });
        let fail = Closure::once_into_js(move || {
            let _ = reject.call1(&JsValue::NULL, &JsValue::from_str("request failed"));
        });
        request.set_onsuccess(Some(ok.unchecked_ref()));
        request.set_onerror(Some(fail.unchecked_ref()));
    };
    JsFuture::from(Promise::new(&mut wire))
        .await
        .map_err(|e| js_error("IndexedDB", &e))
}

async fn open() -> Result<IdbDatabase, String> {
    let factory = web_sys::window()
        .ok_or("no window")?
        .indexed_db()
        .map_err(|e| js_error("IndexedDB unavailable", &e))?
        .ok_or("IndexedDB unavailable (private browsing?)")?;
    let request = factory
        .open_with_u32(DATABASE, 1)
        .map_err(|e| js_error("IndexedDB open", &e))?;
    let upgrade = {
        let req = request.clone();
        Closure::once_into_js(move || {
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                let params = IdbObjectStoreParameters::new();
                params.set_auto_increment(true);
                let _ = db.create_object_store_with_optional_parameters(STORE, &params);
            }
        })
    };
    request.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
    done(&request)
        .await?
        .dyn_into::<IdbDatabase>()
        .map_err(|_| "IndexedDB gave no database".to_string())
}

fn store(db: &IdbDatabase, mode: IdbTransactionMode) -> Result<web_sys::IdbObjectStore, String> {
    db.transaction_with_str_and_mode(STORE, mode)
        .and_then(|t| t.object_store(STORE))
        .map_err(|e| js_error("IndexedDB transaction", &e))
}

/// Adds a check; returns how many the record holds now.
pub async fn append(entry: &RecordEntry) -> Result<u64, String> {
    let db = open().await?;
    let line = to_json(entry)?;
    let s = store(&db, IdbTransactionMode::Readwrite)?;
    done(
        &s.add(&JsValue::from_str(&line))
            .map_err(|e| js_error("IndexedDB add", &e))?,
    )
    .await?;
    let n = done(&s.count().map_err(|e| js_error("IndexedDB count", &e))?).await?;
    Ok(n.as_f64().unwrap_or(0.0) as u64)
}

/// Every check, oldest first (lines that no longer parse are skipped).
pub async fn all() -> Result<Vec<RecordEntry>, String> {
    let db = open().await?;
    let s = store(&db, IdbTransactionMode::Readonly)?;
    let rows = done(&s.get_all().map_err(|e| js_error("IndexedDB read", &e))?).await?;
    Ok(Array::from(&rows)
        .iter()
        .filter_map(|v| v.as_string())
        .filter_map(|line| parse_json::<RecordEntry>(line.as_bytes()).ok())
        .collect())
}

/// Deletes the checks made before `keep_from` (Unix seconds); returns how
/// many the record holds afterwards. Lines that no longer parse go too.
pub async fn prune(keep_from: u64) -> Result<u64, String> {
    let db = open().await?;
    let s = store(&db, IdbTransactionMode::Readwrite)?;
    let keys = done(
        &s.get_all_keys()
            .map_err(|e| js_error("IndexedDB read", &e))?,
    )
    .await?;
    let rows = done(&s.get_all().map_err(|e| js_error("IndexedDB read", &e))?).await?;
    for (key, row) in Array::from(&keys).iter().zip(Array::from(&rows).iter()) {
        let keep = row
            .as_string()
            .and_then(|line| parse_json::<RecordEntry>(line.as_bytes()).ok())
            .is_some_and(|e| e.at >= keep_from);
        if !keep {
            done(
                &s.delete(&key)
                    .map_err(|e| js_error("IndexedDB delete", &e))?,
            )
            .await?;
        }
    }
    let n = done(&s.count().map_err(|e| js_error("IndexedDB count", &e))?).await?;
    Ok(n.as_f64().unwrap_or(0.0) as u64)
}

/// Deletes every check.
pub async fn clear() -> Result<(), String> {
    let db = open().await?;
    let s = store(&db, IdbTransactionMode::Readwrite)?;
    done(&s.clear().map_err(|e| js_error("IndexedDB clear", &e))?).await?;
    Ok(())
}

/// Offers `text` as a file download named `name`.
pub fn download(name: &str, mime: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window()
        .and_then(|w| w.document())
        .ok_or("no document")?;
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob =
        web_sys::Blob::new_with_str_sequence_and_options(&Array::of1(&text.into()), &options)
            .map_err(|e| js_error("file", &e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| js_error("file", &e))?;
    let link = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
        .ok_or("no link element")?;
    link.set_href(&url);
    link.set_download(name);
    link.click();
    // The download has started from the URL; free it a little later.
    let revoke = Closure::once_into_js(move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    });
    if let Some(w) = web_sys::window() {
        let _ =
            w.set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 10_000);
    }
    Ok(())
}
