"""A fixture's queries.jsonl as HTTP targets with the answers SPEC gives, and the comparison.

Counts must match exactly; revenue and averages within 0.005 (they are rounded to cents); in a
group_by=country answer a missing row equals an all-zero row (fixtures/README.md).
"""
import json
import urllib.parse


def targets(queries_path):
    """[(target, expected status, expected body)] for every query: the /v1 endpoint of each."""
    out = []
    with open(queries_path) as f:
        for line in f:
            q = json.loads(line)
            params = dict(q["params"])
            if q["kind"] == "user":
                user = params.pop("user_id")
                path = f"/v1/users/{urllib.parse.quote(user)}/stats"
            else:
                path = "/v1/game/stats"
            if params:
                path += "?" + urllib.parse.urlencode(params)
            expect = q["expect"]
            status = 404 if isinstance(expect, dict) and expect.get("error") == "not_found" else 200
            out.append((path, status, expect))
    return out


def _same_value(want, got):
    if isinstance(want, bool) or isinstance(want, str) or want is None:
        return want == got
    if isinstance(want, int):
        return isinstance(got, int) and not isinstance(got, bool) and want == got
    if isinstance(want, float):
        return isinstance(got, (int, float)) and abs(want - got) <= 0.005 + 1e-9
    return want == got


def _same_object(want, got):
    if not isinstance(got, dict):
        return False
    return all(k in got and _same_value(v, got[k]) for k, v in want.items())


def _is_zero_row(row):
    return all(v == 0 for k, v in row.items() if k != "country")


def mismatch(status, want_status, want, body):
    """None when the answer is right, else a short description."""
    if status != want_status:
        return f"status {status}, expected {want_status}"
    try:
        got = json.loads(body)
    except ValueError:
        return f"body is not JSON: {body[:80]!r}"
    if want_status == 404:
        return None if isinstance(got, dict) and got.get("error") == "not_found" else f"404 body {got}"
    if isinstance(want, list):
        if not isinstance(got, list):
            return "expected a list"
        got_by = {row.get("country"): row for row in got if isinstance(row, dict)}
        want_by = {row["country"]: row for row in want}
        for country in set(got_by) | set(want_by):
            w, g = want_by.get(country), got_by.get(country)
            if w is None and _is_zero_row(g) or g is None and _is_zero_row(w):
                continue
            if w is None or g is None or not _same_object(w, g):
                return f"group {country}: got {g}, expected {w}"
        return None
    return None if _same_object(want, got) else f"got {got}, expected {want}"
