//! Text as the matcher, the lexicon and lint compare it: normalised, and
//! words compared with typos allowed.

use unicode_normalization::UnicodeNormalization;

/// The longest query read; more is not a message but a paste of a page.
pub const MAX_QUERY_CHARS: usize = 2000;

/// NFKC, lower case, punctuation and symbols to spaces, spaces collapsed.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text
        .chars()
        .take(MAX_QUERY_CHARS)
        .collect::<String>()
        .nfkc()
        .flat_map(char::to_lowercase)
    {
        // The long-vowel mark is dropped: ブラウザー and ブラウザ are one word.
        if c == 'ー' {
            continue;
        }
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    out.trim().to_owned()
}

/// Edits between two words in characters: insert, delete, replace, or swap
/// two neighbours ("subdomian" is one swap from "subdomain").
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    // Three rows: two back for a swap, the last one, the one being filled.
    let mut before: Vec<usize> = vec![0; b.len() + 1];
    let mut last: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut row = vec![i; b.len() + 1];
        for j in 1..=b.len() {
            let replace = last[j - 1] + usize::from(a[i - 1] != b[j - 1]);
            row[j] = replace.min(last[j] + 1).min(row[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                row[j] = row[j].min(before[j - 2] + 1);
            }
        }
        before = std::mem::replace(&mut last, row);
    }
    last[b.len()]
}
