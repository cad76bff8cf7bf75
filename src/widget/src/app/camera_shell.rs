//! The camera as the shell drives it: opening it into the page's video and
//! decoding its frames in the worker, releasing it, switching the torch.
//! When to do any of that, and what a code means, is the state's to decide
//! ([`Effect::StartCamera`](crate::state::Effect::StartCamera) and the
//! rest); this only carries it out and reports back.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlVideoElement;
use yew::prelude::*;

use crate::camera::CameraError;
use crate::platform::web;
use crate::platform::web::camera::CameraScanner;
use crate::platform::web::decoder::Decoder;
use crate::state::{Action, State};

/// The shell's camera handles, shared by the callbacks.
#[derive(Clone)]
pub(super) struct CameraShell {
    scanner: CameraScanner,
    /// The decoder worker (also used for photos).
    pub(super) decoder: Decoder,
    video: NodeRef,
    dispatcher: UseReducerDispatcher<State>,
}

impl CameraShell {
    /// Opens the camera (the next one if `next_device`); every code found
    /// goes to the state, which stops the camera when it has what it wants.
    pub(super) fn start(&self, next_device: bool) {
        if next_device {
            self.scanner.next_device();
        }
        let Some(video) = self.video.cast::<HtmlVideoElement>() else {
            self.dispatcher
                .dispatch(Action::CameraFailed(CameraError::Other(
                    "no video element".into(),
                )));
            return;
        };
        // The decoder loads while the camera opens.
        self.decoder.warm();
        let this = self.clone();
        spawn_local(async move {
            let on_code: Rc<dyn Fn(String)> = {
                let dispatcher = this.dispatcher.clone();
                Rc::new(move |text| {
                    dispatcher.dispatch(Action::CodeScanned {
                        text,
                        now: web::now(),
                    })
                })
            };
            let on_ended: Rc<dyn Fn()> = {
                let dispatcher = this.dispatcher.clone();
                Rc::new(move || dispatcher.dispatch(Action::CameraFailed(CameraError::Ended)))
            };
            match this
                .scanner
                .start(video, this.decoder.clone(), on_code, on_ended)
                .await
            {
                Ok(Some(info)) => this.dispatcher.dispatch(Action::CameraOn {
                    torch_supported: info.torch,
                    cameras: info.cameras,
                }),
                Ok(None) => {}
                Err(e) => this.dispatcher.dispatch(Action::CameraFailed(e)),
            }
        });
    }

    /// Releases the camera.
    pub(super) fn stop(&self) {
        self.scanner.stop();
    }

    /// Switches the torch; the state hears of it only if the track agreed.
    pub(super) fn set_torch(&self, lit: bool) {
        let this = self.clone();
        spawn_local(async move {
            if this.scanner.set_torch(lit).await {
                this.dispatcher.dispatch(Action::TorchSet(lit));
            }
        });
    }
}

/// The camera handles, made once.
#[hook]
pub(super) fn use_camera_shell(state: &UseReducerHandle<State>, video: &NodeRef) -> CameraShell {
    let scanner = use_memo((), |_| CameraScanner::new());
    let decoder = use_memo((), |_| Decoder::new());
    CameraShell {
        scanner: (*scanner).clone(),
        decoder: (*decoder).clone(),
        video: video.clone(),
        dispatcher: state.dispatcher(),
    }
}
