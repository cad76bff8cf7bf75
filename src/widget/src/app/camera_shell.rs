//! The camera as the shell drives it: starting and stopping the scanner,
//! decoding frames in the worker, releasing the camera while the page is
//! hidden. What a scanned code means is the state's to decide.

use std::cell::Cell;
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
    pub(super) scanner: CameraScanner,
    pub(super) decoder: Decoder,
    pub(super) video: NodeRef,
    pub(super) dispatcher: UseReducerDispatcher<State>,
    /// The person wants the camera on (it may be paused while hidden).
    pub(super) wanted: Rc<Cell<bool>>,
    /// Stopped because the page was hidden: restart when visible.
    pub(super) paused: Rc<Cell<bool>>,
    /// Crew mode: codes do not stop the camera.
    pub(super) crew: Rc<Cell<bool>>,
}

impl CameraShell {
    pub(super) fn start(&self) {
        let Some(video) = self.video.cast::<HtmlVideoElement>() else {
            return;
        };
        self.wanted.set(true);
        self.paused.set(false);
        self.dispatcher.dispatch(Action::CameraStarting);
        let this = self.clone();
        spawn_local(async move {
            let on_code: Rc<dyn Fn(String) -> bool> = {
                let this = this.clone();
                Rc::new(move |text| {
                    let keep_going = this.crew.get();
                    if !keep_going {
                        this.wanted.set(false);
                    }
                    this.dispatcher.dispatch(Action::CodeScanned {
                        text,
                        now: web::now(),
                    });
                    keep_going
                })
            };
            let on_ended: Rc<dyn Fn()> = {
                let this = this.clone();
                Rc::new(move || {
                    this.wanted.set(false);
                    this.dispatcher
                        .dispatch(Action::CameraFailed(CameraError::Ended));
                })
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
                Err(e) => {
                    this.wanted.set(false);
                    this.dispatcher.dispatch(Action::CameraFailed(e));
                }
            }
        });
    }

    pub(super) fn stop(&self) {
        self.wanted.set(false);
        self.paused.set(false);
        self.scanner.stop();
        self.dispatcher.dispatch(Action::CameraStopped);
    }

    /// The page was hidden or shown: release the camera, or take it back.
    pub(super) fn visibility_changed(&self, hidden: bool) {
        if hidden && self.wanted.get() && !self.paused.get() {
            self.paused.set(true);
            self.scanner.stop();
            self.dispatcher.dispatch(Action::CameraPaused);
        } else if !hidden && self.paused.get() {
            self.start();
        }
    }
}

/// The camera handles, made once, with the crew switch mirrored for the
/// frame callback (it runs outside Yew and cannot read the state).
#[hook]
pub(super) fn use_camera_shell(state: &UseReducerHandle<State>, video: &NodeRef) -> CameraShell {
    let camera = {
        let scanner = use_memo((), |_| CameraScanner::new());
        let decoder = use_memo((), |_| Decoder::new());
        CameraShell {
            scanner: (*scanner).clone(),
            decoder: (*decoder).clone(),
            video: video.clone(),
            dispatcher: state.dispatcher(),
            wanted: use_memo((), |_| Cell::new(false)),
            paused: use_memo((), |_| Cell::new(false)),
            crew: use_memo((), |_| Cell::new(false)),
        }
    };
    {
        let crew = Rc::clone(&camera.crew);
        use_effect_with(state.crew_on, move |on| crew.set(*on));
    }
    {
        let crew = Rc::clone(&camera.crew);
        use_effect_with(state.crew_on, move |on| crew.set(*on));
    }
    camera
}
