-- Live refresh: this connection hears every commit that changes the screens' data.
LISTEN standup_changed
