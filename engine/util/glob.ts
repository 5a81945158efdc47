// Redis's stringmatchlen (src/util.c): glob matching for KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE.
// Supports * ? [abc] [^a] [a-z] and backslash escapes, byte-wise, with optional case folding. As in
// C, range bounds compare as *signed* chars (bytes >= 0x80 sort below 'a'), an unterminated class
// ends at the end of the pattern, and a failed '*' stops longer matches of earlier stars.

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  const state = { skipLonger: false };
  return match(pattern, 0, str, 0, nocase, state, 0);
}

function lower(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}

/** A byte as C's (signed) char sees it on x86. */
function signed(c: number): number {
  return c >= 128 ? c - 256 : c;
}

function match(
  p: string,
  pi: number,
  s: string,
  si: number,
  nocase: boolean,
  state: { skipLonger: boolean },
  depth: number,
): boolean {
  // LAB: the JS stack bounds recursion (one level per '*'); absurd patterns simply don't match.
  if (depth > 5000) return false;
  const plen = p.length;
  const slen = s.length;
  while (pi < plen && si < slen) {
    const c = p.charCodeAt(pi);
    if (c === 42) {
      // '*': collapse runs; a trailing star matches the rest.
      while (pi + 1 < plen && p.charCodeAt(pi + 1) === 42) pi++;
      if (pi + 1 === plen) return true;
      for (; si < slen; si++) {
        if (match(p, pi + 1, s, si, nocase, state, depth + 1)) return true;
        if (state.skipLonger) return false;
      }
      // No suffix matched the rest of the pattern: earlier stars can't do better.
      state.skipLonger = true;
      return false;
    }
    if (c === 63) {
      // '?'
      si++;
    } else if (c === 91) {
      // '[' ... ']'
      pi++;
      const not = pi < plen && p.charCodeAt(pi) === 94;
      if (not) pi++;
      let matched = false;
      const sc = s.charCodeAt(si);
      while (true) {
        const left = plen - pi;
        const pc = left > 0 ? p.charCodeAt(pi) : 0;
        if (pc === 92 && left >= 2) {
          pi++;
          if (p.charCodeAt(pi) === sc) matched = true;
        } else if (left > 0 && pc === 93) {
          break;
        } else if (left === 0) {
          pi--; // unterminated class: the end of the pattern closes it
          break;
        } else if (left >= 3 && p.charCodeAt(pi + 1) === 45) {
          let start = signed(pc);
          let end = signed(p.charCodeAt(pi + 2));
          if (start > end) [start, end] = [end, start];
          const x = lower(signed(sc), nocase);
          start = lower(start, nocase);
          end = lower(end, nocase);
          pi += 2;
          if (x >= start && x <= end) matched = true;
        } else if (lower(pc, nocase) === lower(sc, nocase)) {
          matched = true;
        }
        pi++;
      }
      if (not) matched = !matched;
      if (!matched) return false;
      si++;
    } else {
      // '\\' escapes the next char (a trailing backslash matches itself).
      if (c === 92 && plen - pi >= 2) pi++;
      if (lower(p.charCodeAt(pi), nocase) !== lower(s.charCodeAt(si), nocase)) return false;
      si++;
    }
    pi++;
    if (si === slen) {
      while (pi < plen && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === plen && si === slen;
}
