//! One table per error enum gives both its `code()` and its `CODES`, so the
//! list of codes cannot drift from what `code()` returns: a new variant does
//! not compile until the table names its code.

/// Writes `pub fn code(&self)` and `pub const CODES` for an error enum from
/// `pattern => "code"` arms. Arms after `wrapped` hand over to the wrapped
/// error's own `code()`; its codes are in its own `CODES`, not repeated here.
///
/// ```
/// #[derive(Debug)]
/// enum ExampleError { Empty, TooLong(usize), Inner(tobira_core::ScopeError) }
/// tobira_core::error_codes!(ExampleError {
///     Self::Empty => "example-empty",
///     Self::TooLong(_) => "example-too-long",
/// } wrapped {
///     Self::Inner(e) => e.code(),
/// });
/// assert_eq!(ExampleError::CODES, ["example-empty", "example-too-long"]);
/// assert_eq!(ExampleError::TooLong(9).code(), "example-too-long");
/// assert_eq!(ExampleError::Inner(tobira_core::ScopeError::NoSite).code(), "no-site");
/// ```
#[macro_export]
macro_rules! error_codes {
    ($error:ty {
        $($pattern:pat => $code:literal),+ $(,)?
    } $(wrapped {
        $($wrapped:pat => $inner:expr),+ $(,)?
    })?) => {
        impl $error {
            /// Every code this error names itself; the UI words each as
            /// `error.<code>` in both message files.
            pub const CODES: &'static [&'static str] = &[$($code),+];

            /// The stable id of this error: the key of its message and what
            /// scripts read in `--json` output.
            pub fn code(&self) -> &'static str {
                match self {
                    $($pattern => $code,)+
                    $($($wrapped => $inner,)+)?
                }
            }
        }
    };
}
