-- Let go of the team database (after a lost connection; the next read attaches afresh).
DETACH @alias
