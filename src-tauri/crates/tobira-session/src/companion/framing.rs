//! Native messaging's framing: each message is a 32-bit length in the
//! machine's byte order, then that many bytes of UTF-8 JSON
//! (<https://developer.chrome.com/docs/extensions/develop/concepts/native-messaging>).

use std::io::{self, Read, Write};

/// The largest message either way: 1 MB. Chromium drops a host that sends
/// more than 1 MiB; nothing the extension sends comes near it.
pub const MAX_MESSAGE_BYTES: usize = 1_000_000;

#[derive(Debug, thiserror::Error)]
pub enum FrameError {
    #[error("a message of {0} bytes is larger than the limit of {MAX_MESSAGE_BYTES} bytes")]
    TooLarge(usize),
    #[error("the browser closed the connection in the middle of a message")]
    Truncated,
    #[error(transparent)]
    Io(#[from] io::Error),
}

/// Reads one message. `Ok(None)` when the browser closed stdin between
/// messages: the host's signal to exit.
pub fn read_frame(input: &mut impl Read) -> Result<Option<Vec<u8>>, FrameError> {
    let mut length = [0u8; 4];
    let mut filled = 0;
    while filled < length.len() {
        match input.read(&mut length[filled..]) {
            Ok(0) if filled == 0 => return Ok(None),
            Ok(0) => return Err(FrameError::Truncated),
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e.into()),
        }
    }
    let length = u32::from_ne_bytes(length) as usize;
    if length > MAX_MESSAGE_BYTES {
        return Err(FrameError::TooLarge(length));
    }
    let mut message = vec![0u8; length];
    input.read_exact(&mut message).map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof => FrameError::Truncated,
        _ => FrameError::Io(e),
    })?;
    Ok(Some(message))
}

/// Writes one message and flushes it, so the browser sees it at once.
pub fn write_frame(output: &mut impl Write, message: &[u8]) -> Result<(), FrameError> {
    if message.len() > MAX_MESSAGE_BYTES {
        return Err(FrameError::TooLarge(message.len()));
    }
    let length = u32::try_from(message.len()).map_err(|_| FrameError::TooLarge(message.len()))?;
    output.write_all(&length.to_ne_bytes())?;
    output.write_all(message)?;
    output.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hands out its bytes a few at a time, as a pipe may.
    struct Trickle<'a>(&'a [u8], usize);

    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            let n = self.1.min(buf.len()).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }

    fn framed(messages: &[&[u8]]) -> Vec<u8> {
        let mut out = Vec::new();
        for m in messages {
            write_frame(&mut out, m).unwrap();
        }
        out
    }

    #[test]
    fn messages_survive_short_reads_and_end_cleanly() {
        let bytes = framed(&[br#"{"type":"hello"}"#, b"", "「ログイン」".as_bytes()]);
        for step in [1, 3, 7, 1000] {
            let mut input = Trickle(&bytes, step);
            assert_eq!(
                read_frame(&mut input).unwrap().unwrap(),
                br#"{"type":"hello"}"#
            );
            assert_eq!(read_frame(&mut input).unwrap().unwrap(), b"");
            assert_eq!(
                read_frame(&mut input).unwrap().unwrap(),
                "「ログイン」".as_bytes()
            );
            assert!(read_frame(&mut input).unwrap().is_none());
        }
    }

    #[test]
    fn a_cut_or_oversized_message_is_an_error() {
        let bytes = framed(&[b"{\"type\":\"hello\"}"]);
        for cut in [2, 4, 10] {
            let error = read_frame(&mut &bytes[..cut]).unwrap_err();
            assert!(matches!(error, FrameError::Truncated), "{cut}: {error}");
        }
        let huge = ((MAX_MESSAGE_BYTES + 1) as u32).to_ne_bytes();
        assert!(matches!(
            read_frame(&mut &huge[..]).unwrap_err(),
            FrameError::TooLarge(n) if n == MAX_MESSAGE_BYTES + 1
        ));
        let mut out = Vec::new();
        assert!(write_frame(&mut out, &vec![b' '; MAX_MESSAGE_BYTES + 1]).is_err());
        assert!(out.is_empty());
        write_frame(&mut out, &vec![b' '; MAX_MESSAGE_BYTES]).unwrap();
    }
}
