# Varnish in front of Newsroom's app nodes: it keeps what the backend's Cache-Control allows
# (public, max-age; refusals are no-store and pass), and drops every object whose Surrogate-Key
# names a key of a BAN (or PURGE) from 127.0.0.1, which the app sends once a change commits.
vcl 4.1;

backend newsroom {
    .host = "127.0.0.1";
    .port = "8000";
}

acl purgers {
    "127.0.0.1";
}

sub vcl_recv {
    if (req.method == "BAN" || req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(405, "Not allowed"));
        }
        if (req.http.Surrogate-Key) {
            # Each key as a whole word of the object's Surrogate-Key: article-1 is not article-12.
            ban("obj.http.Surrogate-Key ~ (^|\s)(" +
                regsuball(req.http.Surrogate-Key, "\s+", "|") + ")(\s|$)");
            return (synth(200, "Banned"));
        }
        if (req.method == "PURGE") {
            return (purge);
        }
        return (synth(400, "Surrogate-Key required"));
    }
    # The desk is never kept; a request with a cookie passes (Varnish's own rule after this).
    if (req.url ~ "^/admin/") {
        return (pass);
    }
}

sub vcl_deliver {
    if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
