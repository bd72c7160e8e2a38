#!/bin/sh
# The nightly job of one county, for cron or a systemd timer: the same steps as the GitHub
# workflow .github/workflows/nightly.yml, on a machine of the county's own.
#
#   scripts/nightly.sh SLUG [SLUG...]      e.g. scripts/nightly.sh kainuu
#   scripts/nightly.sh --national          the national site
#   scripts/nightly.sh --full kainuu       fetch everything again whatever the weekday
#
# It runs `perhekeskus nightly`: fetch PTV and the events sources (everything again on the
# weekday of extra.nightly.full_refresh in mkdocs.yml), build, check, index and publish into the
# output folder, write the change reports (build/reports/<slug>/changes.html) and, when
# PERHEKESKUS_DEPLOY_TO is set, deploy what changed. Its exit status is the job's:
#   0 published; 1 published with warnings (a source down or refused, old data); 2 nothing
#   published (the previous site stays live).
# The run log is build/reports/nightly.jsonl (one JSON line per step).
#
# Settings, from the environment (a systemd EnvironmentFile, or the crontab):
#   PERHEKESKUS_HOME       the project checkout (default: the folder above this script)
#   PERHEKESKUS_OUT        the output folder (default: build under the checkout)
#   PERHEKESKUS_DEPLOY_TO  where to deploy: a folder served by the web server, or
#                          s3://bucket/prefix (credentials as AWS_ACCESS_KEY_ID and
#                          AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL for storage other than AWS)
#   PERHEKESKUS_UPDATE     "git" to fast-forward the checkout to its upstream first (the
#                          national content and code), anything else to leave it as it is
#   PERHEKESKUS            the command (default: perhekeskus on the PATH, e.g. the venv's)
#   PERHEKESKUS_PTV_URL, PERHEKESKUS_EVENTS_URL   other PTV or events addresses (rarely)
#
# cron (02:15 every night; cron mails what it prints when the status is not 0 only if you
# wrap it, so prefer the systemd units in scripts/systemd/):
#   15 2 * * *  PERHEKESKUS_DEPLOY_TO=/var/www/perhekeskus /opt/perhekeskus/scripts/nightly.sh kainuu
set -eu

if [ "$#" -eq 0 ]; then
    echo "usage: $0 [--full] SLUG [SLUG...] | --national" >&2
    exit 2
fi

here=$(cd "$(dirname "$0")/.." && pwd)
home=${PERHEKESKUS_HOME:-$here}
out=${PERHEKESKUS_OUT:-$home/build}
command=${PERHEKESKUS:-perhekeskus}

if [ "${PERHEKESKUS_UPDATE:-}" = "git" ]; then
    # A failed update is not a reason to leave the site without new data: build what is there.
    git -C "$home" pull --ff-only --quiet || echo "nightly.sh: git pull failed; building the checkout as it is" >&2
fi

set -- nightly --out "$out" $(for arg in "$@"; do
    case "$arg" in
        --national|--full) printf '%s\n' "$arg" ;;
        *) printf '%s\n' --region "$arg" ;;
    esac
done)
if [ -n "${PERHEKESKUS_DEPLOY_TO:-}" ]; then
    set -- "$@" --deploy-to "$PERHEKESKUS_DEPLOY_TO"
fi

# The exit status of the nightly job is the script's (exec keeps it, and the signals).
exec "$command" --root "$home" "$@"
