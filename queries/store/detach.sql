-- Let go of the file: its lock is released, another process can open it.
DETACH DATABASE IF EXISTS @alias
