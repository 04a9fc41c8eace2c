//! "Did you mean …?" for keys and kind tags (spec section 7, Typos).

/// The nearest candidate within the spec's limit: optimal string alignment
/// distance on the case-folded word, at most 1 for candidates of up to four
/// characters, else 2. `None` when the word *is* a candidate or nothing is near.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let folded = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let cand = candidate.to_lowercase();
        if cand == folded {
            return None;
        }
        let limit = if cand.chars().count() <= 4 { 1 } else { 2 };
        // Cheap length filter before the quadratic distance.
        if folded.chars().count().abs_diff(cand.chars().count()) > limit {
            continue;
        }
        let distance = strsim::osa_distance(&folded, &cand);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::nearest;

    const KEYS: [&str; 4] = ["name", "cadence", "birthday", "tags"];

    #[test]
    fn spec_distances() {
        assert_eq!(nearest("cadance", KEYS), Some("cadence"));
        assert_eq!(nearest("Cadance", KEYS), Some("cadence"));
        assert_eq!(nearest("cadnece", KEYS), Some("cadence"), "a swap is one edit");
        assert_eq!(nearest("cdnce", KEYS), Some("cadence"), "two edits on a long key");
        assert_eq!(nearest("nmae", KEYS), Some("name"), "a swap on a short key");
        assert_eq!(nearest("nm", KEYS), None, "two edits on a short key");
        assert_eq!(nearest("Name", KEYS), None, "equal after case-folding");
        assert_eq!(nearest("thnaks", ["thanks", "got"]), Some("thanks"));
        assert_eq!(nearest("work", ["got", "met"]), None);
    }
}
