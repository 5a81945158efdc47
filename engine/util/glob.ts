// Redis's stringmatchlen (src/util.c): glob matching for KEYS, SCAN MATCH, CONFIG GET, PSUBSCRIBE.
// Supports * ? [abc] [^a] [a-z] and backslash escapes, byte-wise, with optional case folding.

export function globMatch(pattern: string, str: string, nocase = false): boolean {
  return match(pattern, 0, str, 0, nocase, 0);
}

function lower(c: number, nocase: boolean): number {
  return nocase && c >= 65 && c <= 90 ? c + 32 : c;
}

function match(p: string, pi: number, s: string, si: number, nocase: boolean, depth: number): boolean {
  // Redis caps recursion (stringmatchlen_impl's nesting guard); a pathological pattern just fails.
  if (depth > 1000) return false;
  while (pi < p.length && si <= s.length) {
    const c = p.charCodeAt(pi);
    switch (c) {
      case 42: {
        // '*': collapse runs, then try every suffix.
        while (pi + 1 < p.length && p.charCodeAt(pi + 1) === 42) pi++;
        if (pi + 1 === p.length) return true;
        for (let k = si; k <= s.length; k++) {
          if (match(p, pi + 1, s, k, nocase, depth + 1)) return true;
        }
        return false;
      }
      case 63: // '?'
        if (si >= s.length) return false;
        si++;
        break;
      case 91: {
        // '[' ... ']'
        if (si >= s.length) return false;
        pi++;
        const not = p.charCodeAt(pi) === 94;
        if (not) pi++;
        let matched = false;
        const sc = lower(s.charCodeAt(si), nocase);
        while (true) {
          if (pi >= p.length) {
            pi--; // unterminated class: Redis treats end of pattern as ']'
            break;
          }
          const pc = p.charCodeAt(pi);
          if (pc === 92 && pi + 2 <= p.length) {
            pi++;
            if (p.charCodeAt(pi) === s.charCodeAt(si)) matched = true;
          } else if (pc === 93) {
            break;
          } else if (pi + 2 < p.length && p.charCodeAt(pi + 1) === 45) {
            let start = lower(pc, nocase);
            let end = lower(p.charCodeAt(pi + 2), nocase);
            if (start > end) [start, end] = [end, start];
            pi += 2;
            if (sc >= start && sc <= end) matched = true;
          } else if (lower(pc, nocase) === sc) {
            matched = true;
          }
          pi++;
        }
        if (not) matched = !matched;
        if (!matched) return false;
        si++;
        break;
      }
      case 92: // '\\' escapes the next char
        if (pi + 1 < p.length) pi++;
      // falls through
      default:
        if (si >= s.length) return false;
        if (lower(p.charCodeAt(pi), nocase) !== lower(s.charCodeAt(si), nocase)) return false;
        si++;
        break;
    }
    pi++;
    if (si === s.length) {
      while (pi < p.length && p.charCodeAt(pi) === 42) pi++;
      break;
    }
  }
  return pi === p.length && si === s.length;
}
