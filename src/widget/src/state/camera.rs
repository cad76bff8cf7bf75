//! The camera: started by a tap, paused while the page is hidden, stopped
//! by the person, by a code (out of crew mode), by a photo, or by itself.
//! The shell only opens and releases it when told ([`Effect::StartCamera`],
//! [`Effect::StopCamera`]); what the camera is doing is known here alone.

use super::{Action, Effect, Focus, State};
use crate::camera::CameraError;

/// The camera, as the page shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CameraState {
    /// Not in use (the start button is shown: iOS needs a tap).
    Off,
    /// Permission asked, stream starting.
    Starting,
    /// Frames are being decoded.
    On {
        /// `Some(lit)` when the track can switch a torch, else `None`.
        torch: Option<bool>,
        /// How many cameras the device has (a switch button when > 1).
        cameras: usize,
    },
    /// Released because the page was hidden; taken back when it is shown.
    Paused,
    /// Could not be used.
    Failed(CameraError),
}

impl CameraState {
    /// The value of the camera area's `data-camera` attribute.
    pub fn code(&self) -> &'static str {
        match self {
            CameraState::Off => "off",
            CameraState::Starting => "starting",
            CameraState::On { .. } => "on",
            CameraState::Paused => "paused",
            CameraState::Failed(_) => "failed",
        }
    }

    /// Whether the video should be visible (the person wants the camera
    /// and the page is shown).
    pub fn live(&self) -> bool {
        matches!(self, CameraState::Starting | CameraState::On { .. })
    }
}

impl State {
    /// The camera's buttons, its start and failure, page visibility.
    pub(super) fn camera_action(&mut self, action: Action) {
        match action {
            Action::CameraStart | Action::CameraSwitch => {
                self.scan_from_camera();
                self.emit(Effect::StartCamera {
                    next_device: action == Action::CameraSwitch,
                });
            }
            // A stop or a result that came first wins over a late start.
            Action::CameraOn {
                torch_supported,
                cameras,
            } if self.camera == CameraState::Starting => {
                self.camera = CameraState::On {
                    torch: torch_supported.then_some(false),
                    cameras,
                };
            }
            // A failure after the person stopped the camera says nothing.
            Action::CameraFailed(error) if self.camera != CameraState::Off => {
                self.camera = CameraState::Failed(error);
            }
            Action::CameraStop => {
                self.camera = CameraState::Off;
                self.emit(Effect::StopCamera);
            }
            Action::PageVisibility { hidden: true } if self.camera.live() => {
                self.camera = CameraState::Paused;
                self.emit(Effect::StopCamera);
            }
            Action::PageVisibility { hidden: false } if self.camera == CameraState::Paused => {
                self.camera = CameraState::Starting;
                self.emit(Effect::StartCamera { next_device: false });
            }
            Action::TorchToggle => {
                if let CameraState::On {
                    torch: Some(lit), ..
                } = self.camera
                {
                    self.emit(Effect::SetTorch(!lit));
                }
            }
            Action::TorchSet(lit) => {
                if let CameraState::On { torch, .. } = &mut self.camera {
                    if torch.is_some() {
                        *torch = Some(lit);
                    }
                }
            }
            // The other areas' actions, and those that change nothing now.
            _ => {}
        }
    }

    /// The camera replaces whatever the result area showed.
    fn scan_from_camera(&mut self) {
        self.clear_result();
        self.camera = CameraState::Starting;
        self.set_focus(Focus::Camera);
    }

    /// A photo was chosen: the camera (running or paused) is released.
    pub(super) fn release_camera(&mut self) {
        if self.camera.live() || self.camera == CameraState::Paused {
            self.camera = CameraState::Off;
            self.emit(Effect::StopCamera);
        }
    }
}

#[cfg(test)]
mod tests;
