//! `tobira` started by a browser for the companion extension: messages in
//! on stdin, replies out on stdout, until the browser closes stdin. Stdout
//! carries nothing but protocol frames; anything for a person goes to
//! stderr, which the browser keeps in its own log.

use std::io::{self, Write};
use std::process::ExitCode;

use serde_json::json;
use tobira_session::companion::framing::{read_frame, write_frame, FrameError, MAX_MESSAGE_BYTES};
use tobira_session::companion::host::Host;
use tobira_session::companion::Caller;
use tobira_session::Session;

fn send(output: &mut impl Write, message: &serde_json::Value) -> Result<(), FrameError> {
    write_frame(output, message.to_string().as_bytes())
}

pub fn run(caller: Result<Caller, String>) -> ExitCode {
    let mut input = io::stdin().lock();
    let mut output = io::stdout().lock();
    if let Err(refusal) = caller {
        eprintln!("tobira: {refusal}");
        let _ = send(
            &mut output,
            &json!({"type": "error", "code": "unknown-extension", "message": refusal}),
        );
        return ExitCode::FAILURE;
    }
    // Unreadable settings leave the defaults: the host then knows no site
    // and completes nothing, which is safe; the window says why.
    let session = Session::open();
    let mut host = Host::new(&session);
    loop {
        let message = match read_frame(&mut input) {
            Ok(Some(message)) => message,
            // The browser closed: what it showed is no longer offered.
            Ok(None) => {
                session.forget_seen();
                return ExitCode::SUCCESS;
            }
            Err(FrameError::TooLarge(size)) => {
                eprintln!("tobira: a message of {size} bytes is over the limit; closing");
                let _ = send(
                    &mut output,
                    &json!({"type": "error", "code": "message-too-large",
                            "message": format!("messages are limited to {MAX_MESSAGE_BYTES} bytes")}),
                );
                return ExitCode::FAILURE;
            }
            Err(e) => {
                eprintln!("tobira: {e}");
                return ExitCode::FAILURE;
            }
        };
        match send(&mut output, &host.reply(&message)) {
            Ok(()) => {}
            // The browser went away while we answered: nothing is lost.
            Err(FrameError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => {
                return ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("tobira: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
}
