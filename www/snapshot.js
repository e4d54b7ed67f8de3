// Plain data from anything a page hands gdviz (set() and mount() options, <gd-viz> attributes,
// a host's messages to the iframe): read once, here, inside try/catch, with every limit checked
// before anything is copied. What comes out is numbers, strings, booleans, null, short arrays
// and small objects of own enumerable string keys, nothing else: no getter, proxy trap or
// prototype of the caller's runs after this, so nothing the caller does can throw inside the
// WebAssembly core, recurse without end, or make it allocate without bound. What cannot be read
// is a notice.

/** The limits: nesting depth (options → runs → a run → its values), keys per object, items per
 * array and characters per string. */
export const LIMITS = Object.freeze({ depth: 4, keys: 64, items: 16, text: 2000 });

/** Dropped: what could not be read (the notice says why). */
const DROP = Symbol("dropped");

/** A short description of what was given, for a notice (never the whole value). */
function kind(v) {
  if (v === null) return "null";
  if (typeof v !== "object") return typeof v;
  try {
    return Array.isArray(v) ? "an array" : "an object";
  } catch (e) {
    return "an unreadable object";
  }
}

/** The error's message, or what it was: callers may throw anything. */
function why(e) {
  try {
    const m = e && typeof e === "object" && "message" in e ? e.message : e;
    return String(m).slice(0, 80);
  } catch (e2) {
    return "unknown error";
  }
}

/**
 * A bounded, plain-data copy of `input`: `{ value, notices }`. `value` is `undefined` when the
 * input itself could not be read; parts that could not be read are left out, each with a notice
 * naming where it was (`name.runs[2].lr: ...`).
 */
export function snapshot(input, name = "options") {
  const notices = [];
  const read = (v, where, depth) => {
    switch (typeof v) {
      case "number":
      case "boolean":
      case "undefined":
        return v;
      case "string":
        if (v.length > LIMITS.text) {
          notices.push(`${where}: text of ${v.length} characters; at most ${LIMITS.text} are read; ignored`);
          return DROP;
        }
        return v;
      case "object":
        break;
      default:
        notices.push(`${where}: expected a number, text or list, got ${typeof v}; ignored`);
        return DROP;
    }
    if (v === null) return null;
    if (depth >= LIMITS.depth) {
      notices.push(`${where}: nested too deeply (at most ${LIMITS.depth} levels); ignored`);
      return DROP;
    }
    try {
      if (Array.isArray(v)) {
        const n = v.length;
        if (!(n <= LIMITS.items)) {
          notices.push(`${where}: a list of ${n} items; at most ${LIMITS.items} are read; ignored`);
          return DROP;
        }
        const out = [];
        for (let i = 0; i < n; i++) {
          const item = read(v[i], `${where}[${i}]`, depth + 1);
          if (item === DROP) return DROP;
          out.push(item);
        }
        return out;
      }
      const keys = Object.keys(v);
      if (keys.length > LIMITS.keys) {
        notices.push(`${where}: ${keys.length} keys; at most ${LIMITS.keys} are read; ignored`);
        return DROP;
      }
      // No prototype: a key such as `__proto__` is an own key like any other.
      const out = Object.create(null);
      for (const key of keys) {
        const at = `${where}.${key.slice(0, 40)}`;
        let item;
        try {
          item = read(v[key], at, depth + 1);
        } catch (e) {
          notices.push(`${at}: could not be read (${why(e)}); ignored`);
          continue;
        }
        if (item === DROP || item === undefined) continue;
        Object.defineProperty(out, key, { value: item, enumerable: true, configurable: true, writable: true });
      }
      return out;
    } catch (e) {
      notices.push(`${where}: ${kind(v)} that could not be read (${why(e)}); ignored`);
      return DROP;
    }
  };
  const value = read(input, name, 0);
  return { value: value === DROP ? undefined : value, notices };
}

/** Whether `v` is a snapshot's object (not null, not an array). */
export function isRecord(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
