//! Keys for finding the same person under different spellings of their name.
//!
//! A name reaches the record typed in Arabic script by one officer and in Latin letters by
//! another, with or without diacritics, with the article joined or apart, and in any of the
//! usual transliterations. Each word gets three keys, from strictest to loosest, so a search
//! can say how sure a match is. Every rule here is applied identically to a stored name and to
//! a query, since both go through [`tokens`]. `docs/names.md` explains the rules and lists the
//! transliteration table and the known collisions.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::domain::digits::ascii_digits;

/// One word of a name, under three keys from strictest to loosest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenKeys {
    /// NFC, lowercase, digits as ASCII: matches only the same spelling (modulo case).
    pub exact: String,
    /// Folded within its script (rules below); article removed; compounds joined.
    pub folded: String,
    /// Cross-script key: a consonant skeleton in Latin letters, computed as skeleton(folded),
    /// the same for an Arabic word and its Latin transliterations.
    pub cross: String,
}

/// How closely a search matched, strictest first (so `Exact < Folded < Cross`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Match {
    /// The same spelling, ignoring case (and how a compound's parts were spaced).
    Exact,
    /// The same name within one script once diacritics, letter forms, the article and common
    /// transliteration variants are set aside.
    Folded,
    /// The same consonant skeleton: possibly the same name written in another script.
    Cross,
}

/// Separates the parts of a joined compound inside `exact`, so folding can tell a separately
/// written article ("ash-Shatri") from letters that merely look like one ("Assad").
const JOIN: char = '-';

/// Splits a whole name (a field like "حسين علي الشطري" or "Hussein Ali Al-Shatri") into its
/// words and returns each word's keys, in order. Joins compounds first (عبد الله → one word;
/// "Abd al Rahman", "Abdul Rahman", "Abdel-Rahman" → one word), and the article written
/// separately ("Al Shatri", "al-Shatri", "ال شطري") to the following word. Empty /
/// whitespace / punctuation-only input → empty Vec. Words that are empty after folding are
/// dropped.
pub fn tokens(name: &str) -> Vec<TokenKeys> {
    let pieces = pieces(name);
    let mut out = Vec::new();
    let mut i = 0;
    while i < pieces.len() {
        let mut group = vec![pieces[i].as_str()];
        // A joiner (an article, or "Abd" and its spellings) never stands alone: it belongs to
        // the word after it, and "Abd al Rahman" chains through two joiners.
        while i + 1 < pieces.len() && is_joiner(group[group.len() - 1], &pieces[i + 1]) {
            i += 1;
            group.push(pieces[i].as_str());
        }
        i += 1;
        let exact = group.join(&JOIN.to_string());
        let folded = fold(&exact);
        if folded.is_empty() {
            continue;
        }
        let cross = skeleton(&folded);
        out.push(TokenKeys {
            exact,
            folded,
            cross,
        });
    }
    out
}

/// The duplicate-detection signature of a whole name: the `cross` keys of its tokens, sorted
/// and joined by a single space (so word order does not matter). "" for no tokens.
pub fn signature(name: &str) -> String {
    let mut keys: Vec<String> = tokens(name).into_iter().map(|t| t.cross).collect();
    keys.sort();
    keys.join(" ")
}

/// A document or service number folded for comparison: digits as ASCII, letters uppercase,
/// spaces, hyphens, slashes, dots removed. "" when nothing is left.
pub fn document_key(number: &str) -> String {
    ascii_digits(number)
        .nfc()
        .filter(|&c| {
            !(c.is_whitespace()
                || matches!(
                    c,
                    '-' | '‐' | '‑' | '‒' | '–' | '—' | '−' | '/' | '\\' | '.' | '·'
                )
                || is_invisible(c))
        })
        .flat_map(char::to_uppercase)
        .collect()
}

/// Whether two single words are the same name at some strictness: Some(Match::Exact|Folded|Cross)
/// for the strictest key that is equal, else None. (Used in tests and for showing why something
/// matched.) Input that splits into several words ("عبد الله" is one) matches only when every
/// word agrees, in order, at that strictness.
pub fn word_match(a: &str, b: &str) -> Option<Match> {
    let (a, b) = (tokens(a), tokens(b));
    if a.is_empty() || a.len() != b.len() {
        return None;
    }
    let all = |key: fn(&TokenKeys) -> &String| a.iter().zip(&b).all(|(x, y)| key(x) == key(y));
    if all(|t| &t.exact) {
        Some(Match::Exact)
    } else if all(|t| &t.folded) {
        Some(Match::Folded)
    } else if all(|t| &t.cross) {
        Some(Match::Cross)
    } else {
        None
    }
}

// ---------------------------------------------------------------------------------------------
// Splitting and joining

/// Zero-width and direction marks: pasted from documents and messaging apps, never spelling.
fn is_invisible(c: char) -> bool {
    matches!(c, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{FEFF}')
}

/// Apostrophes and the ʿayn/hamza half rings of scholarly transliteration ("Sa'id", "ʿAli"):
/// part of a word, and dropped when folding.
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '’' | '‘' | '`' | '´' | 'ʿ' | 'ʾ' | 'ʻ' | 'ʼ' | 'ʽ' | '′'
    )
}

/// The words of a name as typed: NFC, lowercase, digits as ASCII, split at anything that is not
/// a letter, digit, combining mark or apostrophe (spaces, hyphens, commas, dots...).
fn pieces(name: &str) -> Vec<String> {
    let text: String = ascii_digits(name)
        .chars()
        .filter(|&c| !is_invisible(c))
        .flat_map(char::to_lowercase)
        .nfc()
        .collect();
    text.split(|c: char| !(c.is_alphanumeric() || is_combining_mark(c) || is_apostrophe(c)))
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether `piece` is written apart but belongs to the word after it: an article, or a spelling
/// of "Abd" (servant of), which is never a name on its own.
fn is_joiner(piece: &str, next: &str) -> bool {
    let piece = fold_letters(piece);
    let next = fold_letters(next);
    if next.is_empty() {
        return false;
    }
    piece == "ال" || is_latin_article(&piece, &next) || is_abd(&piece)
}

/// "abd" and its spellings when written apart from the rest of the compound.
fn is_abd(piece: &str) -> bool {
    matches!(
        piece,
        "عبد" | "abd" | "abdul" | "abdel" | "abdal" | "abdol" | "abdoul" | "abdil" | "abdell"
    )
}

/// The consonants a Latin sun-letter article assimilates to ("ash-Shatri", "ar-Rahman").
const SUN: [&str; 10] = ["sh", "th", "dh", "t", "d", "r", "z", "s", "n", "l"];

/// A Latin article written apart: al, el, ul, or a sun-letter form (a/e/u + the consonant the
/// next word starts with: "ash" before "Shatri", "ar" before "Rahman", "es" before "Sayed").
fn is_latin_article(piece: &str, next: &str) -> bool {
    if matches!(piece, "al" | "el" | "ul") {
        return true;
    }
    let mut chars = piece.chars();
    match chars.next() {
        Some('a' | 'e' | 'u') => {
            let rest = chars.as_str();
            SUN.contains(&rest) && next.starts_with(rest)
        }
        _ => false,
    }
}

// ---------------------------------------------------------------------------------------------
// Folding

/// Whether `c` is a letter of the Arabic script (including the Persian, Urdu and Kurdish forms).
fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0620}'..='\u{064A}' | '\u{066E}'..='\u{06D3}' | '\u{06D5}' | '\u{06EE}'..='\u{06FF}' | '\u{0750}'..='\u{077F}')
}

/// Arabic marks that change no letter: tashkeel and hamza/alef above-below (U+064B–U+065F),
/// superscript alef (U+0670), honorific and Quranic marks, and tatweel (a stretching stroke).
fn is_arabic_mark(c: char) -> bool {
    matches!(c, '\u{0610}'..='\u{061A}' | '\u{064B}'..='\u{065F}' | '\u{0670}' | '\u{06D6}'..='\u{06ED}' | '\u{0640}')
}

/// One letter folded within its script, or `None` when it stays as it is. Latin accents are
/// already split off (NFKD) and dropped when this runs.
fn fold_char(c: char) -> Option<&'static str> {
    Some(match c {
        // Hamza seats and wasla: typists use them inconsistently.
        'أ' | 'إ' | 'آ' | 'ٱ' | 'ٲ' | 'ٳ' => "ا",
        'ى' | 'ئ' | 'ی' | 'ێ' | 'ې' | 'ے' => "ي",
        'ة' | 'ە' | 'ھ' | 'ۀ' | 'ۃ' | 'ہ' => "ه",
        'ؤ' | 'ۆ' => "و",
        'ک' | 'ڪ' => "ك",
        'ڕ' => "ر",
        'ڵ' => "ل",
        // A standalone hamza is often left out ("علا" for "علاء"), so it never decides.
        'ء' => "",
        'ß' => "ss",
        'æ' => "ae",
        'œ' => "oe",
        'ø' => "o",
        'ł' => "l",
        'đ' | 'ð' => "d",
        'þ' => "th",
        'ı' => "i",
        _ => return None,
    })
}

/// A word's letters folded within its script, without the word-level rules (article, compound,
/// variants): Arabic marks and tatweel, Latin accents and apostrophes dropped, letter forms
/// unified, lowercase.
fn fold_letters(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    // Compatibility decomposition also reads Arabic presentation forms and ligatures (ﻻ, ﷲ)
    // as their letters, and full-width Latin as ASCII.
    for c in word.nfkd() {
        if is_combining_mark(c)
            || is_arabic_mark(c)
            || is_apostrophe(c)
            || is_invisible(c)
            || c.is_whitespace()
        {
            continue;
        }
        match fold_char(c) {
            Some(s) => out.push_str(s),
            None => out.extend(c.to_lowercase()),
        }
    }
    // NFKD split أ into ا + hamza above, which was dropped as a mark: recompose what is left.
    out.nfc().collect()
}

/// The `folded` key of one token's `exact` key.
fn fold(exact: &str) -> String {
    let parts: Vec<String> = exact.split(JOIN).map(fold_letters).collect();
    if parts.iter().flat_map(|p| p.chars()).any(is_arabic_letter) {
        fold_arabic(exact, &parts.concat())
    } else {
        fold_latin(&parts)
    }
}

/// Arabic word rules on the joined letters: the article ال removed when at least two letters
/// remain, but only where it was written with a bare alef (إلهام "Ilham" and ألطاف "Altaf" begin
/// with a hamza alef, not the article).
fn fold_arabic(exact: &str, joined: &str) -> String {
    let bare: String = exact
        .chars()
        .filter(|&c| c != JOIN && !is_arabic_mark(c) && !is_combining_mark(c))
        .take(2)
        .collect();
    let article = matches!(bare.as_str(), "ال" | "ٱل");
    // "الله" standing alone is the name of God, not an article on "له".
    if article && joined.chars().count() >= 4 && joined != "الله" {
        joined.chars().skip(2).collect()
    } else {
        joined.to_owned()
    }
}

/// Names beginning "al" + consonant that are not the article (checked after the other rules).
const NOT_ARTICLE: [&str; 8] = [
    "alhan", "altaf", "alfred", "albert", "alberto", "alfonso", "alma", "alvin",
];

/// Latin word rules: a separately written article (`parts` keeps the joins), the Abd compound,
/// an attached article, then spelling rules and the whole-word variant table.
fn fold_latin(parts: &[String]) -> String {
    let mut parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    // A separately written article at the start is certainly one: drop it.
    let mut had_article = false;
    if parts.len() > 1
        && is_latin_article(parts[0], parts[1])
        && parts[1..].iter().map(|p| p.chars().count()).sum::<usize>() >= 2
    {
        parts.remove(0);
        had_article = true;
    }
    // Inside a compound a separate article is spelled "al", whatever its assimilation.
    let mut joined = String::new();
    for (i, part) in parts.iter().enumerate() {
        match parts.get(i + 1) {
            Some(next) if i > 0 && is_latin_article(part, next) => joined.push_str("al"),
            _ => joined.push_str(part),
        }
    }
    let word = match abd_compound(&joined) {
        Some(w) => w,
        None if !had_article => strip_attached_article(&joined),
        None => joined,
    };
    let word = spelling(&word);
    variant(&word).map_or(word, str::to_owned)
}

/// "Abdulrahman", "Abd al-Rahman", "Abdel Rahman", "Abdurrahman" → "abdulrahman"; the
/// "-allah" ending in any spelling → "abdullah". `None` when `word` is not such a compound.
fn abd_compound(word: &str) -> Option<String> {
    let rest = word.strip_prefix("abd")?;
    let mut tail = None;
    for connector in ["oul", "ul", "el", "al", "ol", "il"] {
        if let Some(t) = rest.strip_prefix(connector) {
            tail = Some(t);
            break;
        }
    }
    let tail = match tail {
        Some(t) => t,
        None => {
            // A sun-letter assimilation: "Abdurrahman", "Abdussalam".
            let mut chars = rest.chars();
            match (chars.next(), chars.next(), chars.next()) {
                (Some('u' | 'e' | 'a' | 'o'), Some(x), Some(y))
                    if x == y && !"aeiouwy".contains(x) =>
                {
                    &rest[1 + x.len_utf8()..]
                }
                _ => rest,
            }
        }
    };
    if tail.chars().count() < 2 {
        return None;
    }
    let tail = match tail {
        "lah" | "la" | "llah" | "lla" | "lahi" => "lah",
        t => t,
    };
    Some(format!("abdul{tail}"))
}

/// The attached-article rule: "al"/"el" + consonant is the article when at least four letters
/// follow and the consonant is not l, w or y. So "Alshatri", "Elsayed", "Alhassan" lose it, while
/// "Ali", "Alaa", "Alawi" (vowel), "Allawi" (l), "Alwan", "Alyaa" (w, y), "Alhan" (too short)
/// keep their letters.
fn strip_attached_article(word: &str) -> String {
    let rest = match word.strip_prefix("al").or_else(|| word.strip_prefix("el")) {
        Some(r) => r,
        None => return word.to_owned(),
    };
    let consonant = rest
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() && !"aeiouylw".contains(c));
    if consonant && rest.chars().count() >= 4 && !NOT_ARTICLE.contains(&word) {
        rest.to_owned()
    } else {
        word.to_owned()
    }
}

/// Spelling rules for Latin transliterations: long vowels written double or as "ou"
/// (Kareem/Karim, Youssef/Yusuf), doubled consonants (shadda: Hussein/Husein), and the
/// diphthong written ei/ey/ay (Hussein/Husayn, Zeinab/Zaynab, Leila/Layla) → "ai".
fn spelling(word: &str) -> String {
    let w = word
        .replace("ee", "i")
        .replace("oo", "u")
        .replace("ou", "u");
    let mut collapsed = String::with_capacity(w.len());
    let mut last = None;
    for c in w.chars() {
        // Letters only: "11" in a number is not a shadda.
        if Some(c) != last || !c.is_alphabetic() {
            collapsed.push(c);
        }
        last = Some(c);
    }
    // Only before a consonant or at the end: in "Sayed" or "Rayan" the y is a consonant.
    let chars: Vec<char> = collapsed.chars().collect();
    let mut out = String::with_capacity(collapsed.len());
    let mut i = 0;
    while i < chars.len() {
        let diphthong = matches!(
            (chars[i], chars.get(i + 1)),
            ('e', Some('i' | 'y')) | ('a', Some('y'))
        ) && !chars.get(i + 2).is_some_and(|c| "aeiouy".contains(*c));
        if diphthong {
            out.push_str("ai");
            i += 2;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

/// Whole-word variants the general rules leave apart, each to one readable spelling. Keys are
/// the words after [`spelling`].
fn variant(word: &str) -> Option<&'static str> {
    Some(match word {
        "mohamed" | "mohamad" | "muhamed" | "muhamad" | "mohammed" | "mohamet" | "mahamad"
        | "mehamed" | "mohd" => "muhamad",
        "ahmed" | "ahmet" | "ahamad" | "ahmad" => "ahmad",
        "omar" | "umar" | "omer" | "umer" => "umar",
        "othman" | "uthman" | "osman" | "usman" | "otman" => "uthman",
        "khaled" | "khalid" => "khalid",
        "qasim" | "qasem" | "kasim" | "kasem" | "qassim" => "qasim",
        "husain" | "husien" | "husin" => "husain",
        "yusef" | "yusuf" | "yosef" | "yusif" | "yosif" | "yossef" => "yusuf",
        "fatima" | "fatma" | "fatimah" | "fatema" | "fatemah" | "fatmah" => "fatima",
        "mahmud" | "mahmod" | "mahmut" => "mahmud",
        "hamud" | "hamod" => "hamud",
        "mustafa" | "mostafa" | "mustapha" | "mostapha" => "mustafa",
        "kazim" | "kazem" | "kadhim" | "kadhem" | "kathim" => "kazim",
        "jasim" | "jasem" => "jasim",
        "miqdad" | "meqdad" | "mikdad" | "muqdad" => "miqdad",
        "ali" | "aly" => "ali",
        "sayid" | "sayed" | "saiyid" => "sayid",
        // ض written "dh" in Iraq and "d" elsewhere; the skeleton reads dh with ذ and ظ.
        "rida" | "ridha" | "reda" | "redha" | "rida'" => "rida",
        "fadil" | "fadhil" | "fadel" | "fadhel" => "fadil",
        "ramadan" | "ramadhan" | "ramazan" => "ramadan",
        "radi" | "radhi" => "radi",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------------
// Cross-script skeleton

/// A vowel in the unit stream (a, e, i, o, u, and Arabic ا as a long vowel).
const VOWEL: char = 'a';

/// The units an Arabic letter reads as (see the table in `docs/names.md`). Uppercase letters
/// stand for digraphs so "t" + "h" (Taha) never reads as ث.
fn arabic_units(c: char) -> &'static str {
    match c {
        'ا' => "a",
        'ب' => "b",
        'ت' | 'ط' => "t",
        'ث' => "T",
        'ج' => "j",
        'ح' | 'ه' => "h",
        'خ' => "X",
        'د' | 'ض' => "d",
        // ذ and ظ are written "dh" in Iraq and "z" in Egypt and the Levant.
        'ذ' | 'ظ' | 'ز' => "z",
        'ر' => "r",
        'س' | 'ص' => "s",
        'ش' | 'چ' => "S",
        'ع' | 'ء' => "",
        'غ' => "G",
        'ف' => "f",
        'ق' | 'ك' => "k",
        'ل' => "l",
        'م' => "m",
        'ن' => "n",
        'و' => "w",
        'ي' => "y",
        'پ' => "b",
        'ڤ' => "f",
        'گ' => "j",
        'ژ' => "z",
        _ => "",
    }
}

/// The units of a folded Latin word: digraphs as one unit, q and c as k, g as j (Egyptian
/// "Gamal" for جمال), x as ks, all vowels as one vowel unit.
fn latin_units(word: &str) -> Vec<char> {
    let chars: Vec<char> = word.chars().collect();
    let mut out = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        let pair = (chars[i], chars.get(i + 1).copied());
        let digraph = match pair {
            ('k', Some('h')) => Some('X'),
            ('s' | 'c', Some('h')) => Some('S'),
            ('t', Some('h')) => Some('T'),
            ('d' | 'z', Some('h')) => Some('z'),
            ('g', Some('h')) => Some('G'),
            _ => None,
        };
        if let Some(u) = digraph {
            out.push(u);
            i += 2;
            continue;
        }
        match chars[i] {
            'a' | 'e' | 'i' | 'o' | 'u' => out.push(VOWEL),
            'q' | 'c' => out.push('k'),
            'g' => out.push('j'),
            'p' => out.push('b'),
            'v' => out.push('f'),
            'x' => out.extend(['k', 's']),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Names the skeleton would merge with a more common one: محمود (Mahmoud) would read "mhmd"
/// like محمد (Muhammad), and حمود (Hamoud) like حمد (Hamad). Their long u is kept as "w".
fn kept_long_vowel(folded: &str) -> Option<&'static str> {
    match folded {
        "محمود" | "mahmud" => Some("mhmwd"),
        "حمود" | "hamud" => Some("hmwd"),
        _ => None,
    }
}

/// The `cross` key of a `folded` key: Arabic read through the table, then a consonant skeleton.
/// A first vowel (or ع/ا) is kept as "a" so Ahmed (ahmd) stays apart from Hamid (hmd); w and y
/// count as consonants only at the start (Yusuf, Walid); adjacent repeats collapse (shadda);
/// a final h is dropped (ة in فاطمة, Fatima/Fatimah, Abdulla/Abdullah).
fn skeleton(folded: &str) -> String {
    if let Some(kept) = kept_long_vowel(folded) {
        return kept.to_owned();
    }
    let units: Vec<char> = if folded.chars().any(is_arabic_letter) {
        let mut units = Vec::new();
        for (i, c) in folded.chars().enumerate() {
            match (i, c) {
                // An initial ʿayn reads as its vowel: عمر Omar, علي Ali.
                (0, 'ع') => units.push(VOWEL),
                _ if is_arabic_letter(c) => units.extend(arabic_units(c).chars()),
                _ => units.extend(c.to_lowercase()),
            }
        }
        units
    } else {
        latin_units(folded)
    };
    let mut out: Vec<char> = Vec::with_capacity(units.len());
    let mut last = None;
    for (i, &u) in units.iter().enumerate() {
        if Some(u) == last {
            continue;
        }
        last = Some(u);
        match u {
            VOWEL if i == 0 => out.push('a'),
            VOWEL | 'w' | 'y' if i > 0 => {}
            _ => out.push(u),
        }
    }
    if out.len() > 1 && out.last() == Some(&'h') {
        out.pop();
    }
    if out.is_empty() {
        // Never empty: a word of vowels alone still needs a key.
        return folded.to_owned();
    }
    out.into_iter().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real spellings of the same name, with the strongest level at which they must agree.
    const SAME: &[(&str, &str, Match)] = &[
        // From the issue.
        ("أحمد", "احمد", Match::Folded),
        ("مِقداد", "مقداد", Match::Folded),
        ("فاطمة", "فاطمه", Match::Folded),
        ("عبد الله", "عبدالله", Match::Folded),
        ("Al-Shatri", "al Shatri", Match::Exact),
        ("Al-Shatri", "Alshatri", Match::Folded),
        ("al Shatri", "Alshatri", Match::Folded),
        ("Mohammed", "Muhammad", Match::Folded),
        // Arabic within its script.
        ("محـــمد", "محمد", Match::Folded),
        ("مُحَمَّد", "محمد", Match::Folded),
        ("إبراهيم", "ابراهيم", Match::Folded),
        ("آمنة", "امنه", Match::Folded),
        ("مصطفى", "مصطفي", Match::Folded),
        ("ال شطري", "الشطري", Match::Folded),
        ("الشطري", "شطري", Match::Folded),
        ("علاء", "علا", Match::Folded),
        ("رؤى", "روي", Match::Folded),
        ("هانی", "هاني", Match::Folded),
        ("عبد الرحمن", "عبدالرحمن", Match::Folded),
        ("HUSSEIN", "hussein", Match::Exact),
        // Latin within its script.
        ("Muhammad", "Mohamed", Match::Folded),
        ("Mohamad", "Muhammed", Match::Folded),
        ("Mohammad", "Mohammed", Match::Folded),
        ("Hussein", "Husayn", Match::Folded),
        ("Hussain", "Husain", Match::Folded),
        ("Hussien", "Hussein", Match::Folded),
        ("Youssef", "Yusuf", Match::Folded),
        ("Kareem", "Karim", Match::Folded),
        ("Ahmed", "Ahmad", Match::Folded),
        ("Omar", "Umar", Match::Folded),
        ("Othman", "Uthman", Match::Folded),
        ("Khalid", "Khaled", Match::Folded),
        ("Qasim", "Kasim", Match::Folded),
        ("Qassem", "Qasim", Match::Folded),
        ("Abdul Rahman", "Abdulrahman", Match::Folded),
        ("Abd al-Rahman", "Abdel Rahman", Match::Folded),
        ("Abd ar-Rahman", "Abdurrahman", Match::Folded),
        ("Abdullah", "Abd Allah", Match::Folded),
        ("Abdallah", "Abdulla", Match::Folded),
        ("ash-Shatri", "Al-Shatri", Match::Folded),
        ("El-Sayed", "Elsayed", Match::Folded),
        ("José", "Jose", Match::Folded),
        ("Sa'id", "Said", Match::Folded),
        ("ʿAli", "Ali", Match::Folded),
        ("Zeinab", "Zaynab", Match::Folded),
        ("Leila", "Layla", Match::Folded),
        ("Ridha", "Reda", Match::Folded),
        ("Fatma", "Fatima", Match::Folded),
        ("Kadhim", "Kazem", Match::Folded),
        ("Mahmoud", "Mahmood", Match::Folded),
        // Across scripts.
        ("حسين", "Hussein", Match::Cross),
        ("حسين", "Husayn", Match::Cross),
        ("حسين", "Hussain", Match::Cross),
        ("محمد", "Mohammed", Match::Cross),
        ("محمد", "Muhammad", Match::Cross),
        ("أحمد", "Ahmed", Match::Cross),
        ("أحمد", "Ahmad", Match::Cross),
        ("عبد الله", "Abdullah", Match::Cross),
        ("عبد الله", "Abd Allah", Match::Cross),
        ("عبدالله", "Abdallah", Match::Cross),
        ("الشطري", "Al-Shatri", Match::Cross),
        ("الشطري", "al Shatri", Match::Cross),
        ("الشطري", "Alshatri", Match::Cross),
        ("فاطمة", "Fatima", Match::Cross),
        ("فاطمة", "Fatma", Match::Cross),
        ("مقداد", "Miqdad", Match::Cross),
        ("مقداد", "Meqdad", Match::Cross),
        ("يوسف", "Yousef", Match::Cross),
        ("يوسف", "Yusuf", Match::Cross),
        ("خالد", "Khaled", Match::Cross),
        ("خالد", "Khalid", Match::Cross),
        ("عمر", "Omar", Match::Cross),
        ("عمر", "Umar", Match::Cross),
        ("عبد الرحمن", "Abdul Rahman", Match::Cross),
        ("عبد الرحمن", "Abdulrahman", Match::Cross),
        ("عبد الرحمن", "Abd al-Rahman", Match::Cross),
        ("عبد الرحمن", "Abdel Rahman", Match::Cross),
        ("عبد الرحمن", "Abd ar-Rahman", Match::Cross),
        ("علي", "Ali", Match::Cross),
        ("عثمان", "Othman", Match::Cross),
        ("عثمان", "Uthman", Match::Cross),
        ("قاسم", "Qasim", Match::Cross),
        ("قاسم", "Kasim", Match::Cross),
        ("قاسم", "Qassem", Match::Cross),
        ("محمود", "Mahmoud", Match::Cross),
        ("كاظم", "Kadhim", Match::Cross),
        ("زينب", "Zainab", Match::Cross),
        ("إبراهيم", "Ibrahim", Match::Cross),
        ("مصطفى", "Mustafa", Match::Cross),
        ("حمزة", "Hamza", Match::Cross),
        ("صلاح", "Salah", Match::Cross),
        ("السيد", "El-Sayed", Match::Cross),
        ("جمال", "Gamal", Match::Cross),
        ("وليد", "Walid", Match::Cross),
        ("داود", "Dawood", Match::Cross),
        ("العبيدي", "Al-Obaidi", Match::Cross),
        ("شاكر", "Chaker", Match::Cross),
        ("طه", "Taha", Match::Cross),
        ("رضا", "Ridha", Match::Cross),
        ("فاضل", "Fadhil", Match::Cross),
        ("ﷲ", "الله", Match::Folded),
        ("Sayed", "Sayyid", Match::Folded),
    ];

    /// Different names that must not match at any level.
    const DIFFERENT: &[(&str, &str)] = &[
        ("أحمد", "محمود"),
        ("Ahmed", "Mahmoud"),
        ("محمد", "محمود"),
        ("Mohammed", "Mahmoud"),
        ("محمد", "Mahmoud"),
        ("محمود", "Mohammed"),
        ("علي", "عمر"),
        ("Ali", "Omar"),
        ("حسين", "خالد"),
        ("Fatima", "Khadija"),
        ("يوسف", "يونس"),
        ("Yusuf", "Yunus"),
        ("أحمد", "حامد"),
        ("Ahmed", "Hamid"),
        ("حمود", "حمد"),
        ("Jasim", "Qasim"),
        ("جاسم", "قاسم"),
        ("Khalil", "Khalid"),
        ("Habib", "Hiba"),
        ("Majid", "Mahdi"),
        ("Tariq", "Talal"),
        ("Ibrahim", "Ismail"),
        ("Zainab", "Zahra"),
        ("Salim", "Salman"),
        ("Alwan", "Wan"),
        ("Walid", "Khalid"),
        ("Abdullah", "Abdulrahman"),
        ("عبد الله", "عبد الرحمن"),
        ("إلهام", "هام"),
    ];

    /// Pairs that share only the loose key: the documented collisions.
    const CROSS_ONLY_COLLISIONS: &[(&str, &str)] = &[
        ("حسن", "حسين"),
        ("Hassan", "Hussein"),
        ("Amir", "Omar"),
        ("Hamid", "Hamad"),
        ("علي", "علاء"),
        ("زيد", "زياد"),
        ("سامح", "سماح"),
    ];

    fn every_test_string() -> Vec<&'static str> {
        let mut all = Vec::new();
        for (a, b, _) in SAME {
            all.extend([*a, *b]);
        }
        for (a, b) in DIFFERENT.iter().chain(CROSS_ONLY_COLLISIONS) {
            all.extend([*a, *b]);
        }
        all.extend([
            "حسين علي الشطري",
            "Hussein Ali Al-Shatri",
            "Alaa",
            "Alawi",
            "Allawi",
            "Alyaa",
            "عبد الحسين",
        ]);
        all
    }

    #[test]
    fn variant_pairs_match_at_the_expected_level_both_ways() {
        assert!(SAME.len() >= 40);
        for &(a, b, expected) in SAME {
            assert_eq!(
                word_match(a, b),
                Some(expected),
                "{a} ~ {b}: {:?} {:?}",
                tokens(a),
                tokens(b)
            );
            assert_eq!(word_match(b, a), Some(expected), "{b} ~ {a}");
        }
    }

    #[test]
    fn different_names_do_not_match_at_any_level() {
        for &(a, b) in DIFFERENT {
            assert_eq!(
                word_match(a, b),
                None,
                "{a} ~ {b}: {:?} {:?}",
                tokens(a),
                tokens(b)
            );
            assert_eq!(word_match(b, a), None, "{b} ~ {a}");
        }
    }

    #[test]
    fn known_collisions_agree_only_on_the_cross_key() {
        for &(a, b) in CROSS_ONLY_COLLISIONS {
            assert_eq!(word_match(a, b), Some(Match::Cross), "{a} ~ {b}");
        }
    }

    #[test]
    fn exact_implies_folded_implies_cross_and_keys_are_never_empty() {
        let keys: Vec<TokenKeys> = every_test_string().into_iter().flat_map(tokens).collect();
        for t in &keys {
            assert!(
                !t.exact.is_empty() && !t.folded.is_empty() && !t.cross.is_empty(),
                "{t:?}"
            );
            assert_eq!(t.folded, fold(&t.exact), "{t:?}");
            assert_eq!(t.cross, skeleton(&t.folded), "{t:?}");
        }
        for x in &keys {
            for y in &keys {
                if x.exact == y.exact {
                    assert_eq!(x.folded, y.folded, "{x:?} {y:?}");
                }
                if x.folded == y.folded {
                    assert_eq!(x.cross, y.cross, "{x:?} {y:?}");
                }
            }
        }
    }

    #[test]
    fn keys_are_deterministic() {
        for s in every_test_string() {
            assert_eq!(tokens(s), tokens(s));
            assert_eq!(signature(s), signature(s));
        }
    }

    #[test]
    fn a_whole_name_splits_into_words_joining_compounds_and_articles() {
        let words = |s: &str| tokens(s).into_iter().map(|t| t.folded).collect::<Vec<_>>();
        assert_eq!(words("حسين علي الشطري"), ["حسين", "علي", "شطري"]);
        assert_eq!(words("Hussein Ali Al-Shatri"), ["husain", "ali", "shatri"]);
        assert_eq!(words("عبد الله  ال شطري"), ["عبدالله", "شطري"]);
        assert_eq!(
            words("Abd al Rahman, Abdel-Rahman"),
            ["abdulrahman", "abdulrahman"]
        );
        assert_eq!(words("Ahmed ibn Hanbal"), ["ahmad", "ibn", "hanbal"]);
        assert_eq!(tokens("al-Shatri")[0].exact, "al-shatri");
        assert_eq!(
            signature("حسين علي الشطري"),
            signature("Ali Al Shatri Hussein")
        );
    }

    #[test]
    fn tatweel_and_diacritics_fold_away() {
        assert_eq!(tokens("محـــمد")[0].folded, "محمد");
        assert_eq!(tokens("مُحَمَّدٌ")[0].folded, "محمد");
        assert_eq!(word_match("محـــمد", "Muhammad"), Some(Match::Cross));
    }

    #[test]
    fn attached_al_is_the_article_only_before_a_consonant_and_a_long_enough_rest() {
        let folded = |s: &str| tokens(s)[0].folded.clone();
        assert_eq!(folded("Alshatri"), "shatri");
        assert_eq!(folded("Alhassan"), "hasan");
        assert_eq!(folded("Ali"), "ali");
        assert_eq!(folded("Alaa"), "ala");
        assert_eq!(folded("Alawi"), "alawi");
        assert_eq!(folded("Allawi"), "alawi");
        assert_eq!(folded("Alwan"), "alwan");
        assert_eq!(folded("Alyaa"), "alya");
        assert_eq!(folded("Alhan"), "alhan");
        // Written apart, "Al" is always the article.
        assert_eq!(folded("Al Ani"), "ani");
        assert_eq!(word_match("Al-Ani", "العاني"), Some(Match::Cross));
    }

    #[test]
    fn signature_ignores_word_order_and_script() {
        assert_eq!(signature("Ali Hussein"), signature("حسين علي"));
        assert_eq!(signature("Ali Hussein"), signature("Hussein Ali"));
        assert_ne!(signature("Ali Hussein"), signature("Ali Omar"));
        assert_eq!(signature("محمد عبد الله"), signature("Abdullah Mohammed"));
    }

    #[test]
    fn empty_and_punctuation_only_names_have_no_tokens() {
        for s in ["", "   ", "-- / ,.", "\u{200F}", "ـــ", "َ", "'"] {
            assert_eq!(tokens(s), Vec::new(), "{s:?}");
            assert_eq!(signature(s), "");
        }
        assert_eq!(word_match("", ""), None);
        assert_eq!(word_match("", "Ali"), None);
    }

    #[test]
    fn digits_read_as_ascii() {
        assert_eq!(document_key("١٢٣-٤٥ ab"), "12345AB");
        assert_eq!(document_key("a1/b.2 ۳"), "A1B23");
        assert_eq!(document_key(" - / . "), "");
        assert_eq!(tokens("Ali ٢")[1].exact, "2");
    }

    #[test]
    fn the_public_api_keeps_its_shape() {
        // The database layer is written against these signatures.
        let _: fn(&str) -> Vec<TokenKeys> = tokens;
        let _: fn(&str) -> String = signature;
        let _: fn(&str) -> String = document_key;
        let _: fn(&str, &str) -> Option<Match> = word_match;
        let keys = TokenKeys {
            exact: "alshatri".into(),
            folded: "shatri".into(),
            cross: "Str".into(),
        };
        assert_eq!(tokens("Alshatri"), [keys]);
    }

    #[test]
    fn match_orders_strictest_first() {
        assert!(Match::Exact < Match::Folded && Match::Folded < Match::Cross);
    }
}
