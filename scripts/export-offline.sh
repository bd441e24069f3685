#!/usr/bin/env bash
# Export one AWS account's S3 and KMS evidence in the offline layout s3-evidence reads
# (README "Offline evidence"). Read-only: every command is a get/list/describe call.
#
#   scripts/export-offline.sh <out-folder> [region ...]
#
# Uses the AWS CLI's current credentials (AWS_PROFILE, SSO, instance role ...). For each command it
# keeps what the CLI printed: stdout as <name>.json, or stderr as <name>.error.txt when it failed, so
# AccessDenied, NoSuchBucketPolicy and friends become evidence instead of disappearing.
set -uo pipefail
out=${1:?usage: export-offline.sh <out-folder> [region ...]}
shift
regions=("$@")
mkdir -p "$out/s3api"

# run <folder> <name> <aws args...>: keep stdout or stderr, never both.
run() {
  local dir=$1 name=$2
  shift 2
  mkdir -p "$dir"
  if aws "$@" --output json >"$dir/$name.json" 2>"$dir/$name.error.txt"; then
    rm -f "$dir/$name.error.txt"
  else
    rm -f "$dir/$name.json"
  fi
}

account=$(aws sts get-caller-identity --query Account --output text)
printf '{"exportedAt": "%s", "exportedBy": "%s", "account": "%s"}\n' \
  "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$(aws sts get-caller-identity --query Arn --output text)" "$account" >"$out/export.json"

run "$out/s3api" list-buckets s3api list-buckets
for bucket in $(aws s3api list-buckets --query 'Buckets[].Name' --output text); do
  d="$out/s3api/$bucket"
  run "$d" get-bucket-location s3api get-bucket-location --bucket "$bucket"
  run "$d" get-bucket-tagging s3api get-bucket-tagging --bucket "$bucket"
  run "$d" get-bucket-encryption s3api get-bucket-encryption --bucket "$bucket"
  run "$d" get-bucket-policy s3api get-bucket-policy --bucket "$bucket"
  run "$d" get-public-access-block s3api get-public-access-block --bucket "$bucket"
  run "$d" get-bucket-policy-status s3api get-bucket-policy-status --bucket "$bucket"
  run "$d" get-bucket-logging s3api get-bucket-logging --bucket "$bucket"
  run "$d" get-bucket-versioning s3api get-bucket-versioning --bucket "$bucket"
  run "$d" get-object-lock-configuration s3api get-object-lock-configuration --bucket "$bucket"
  run "$d" list-bucket-inventory-configurations s3api list-bucket-inventory-configurations --bucket "$bucket"
done

# Keys: every key a bucket uses as its default key, in that key's region, plus the aliases.
keys=$(cat "$out"/s3api/*/get-bucket-encryption.json 2>/dev/null \
  | grep -o '"KMSMasterKeyID": *"[^"]*"' | sed 's/.*: *"\(.*\)"/\1/' | sort -u)
[ ${#regions[@]} -gt 0 ] || regions=($(aws configure get region || echo us-east-1))
for region in "${regions[@]}"; do
  run "$out/kms/$region" list-aliases kms list-aliases --region "$region"
done

# Table buckets (S3 Tables), per region: the list (the CLI follows every page), then each table bucket's
# encryption, namespaces and tables, and each table's encryption. Their SSE-KMS keys join the keys above.
for region in "${regions[@]}"; do
  run "$out/s3tables/$region" list-table-buckets s3tables list-table-buckets --region "$region"
  for arn in $(aws s3tables list-table-buckets --region "$region" --query 'tableBuckets[].arn' --output text 2>/dev/null); do
    d="$out/s3tables/$region/${arn##*/}"
    run "$d" get-table-bucket-encryption s3tables get-table-bucket-encryption --table-bucket-arn "$arn" --region "$region"
    run "$d" list-namespaces s3tables list-namespaces --table-bucket-arn "$arn" --region "$region"
    run "$d" list-tables s3tables list-tables --table-bucket-arn "$arn" --region "$region"
    aws s3tables list-tables --table-bucket-arn "$arn" --region "$region" \
      --query 'tables[].[namespace[0], name]' --output text 2>/dev/null |
      while read -r ns name; do
        run "$d/$ns/$name" get-table-encryption s3tables get-table-encryption \
          --table-bucket-arn "$arn" --namespace "$ns" --name "$name" --region "$region"
      done
  done
done
# Directory buckets (S3 Express One Zone), per region at its s3express-control endpoint: the list, then each
# directory bucket's default encryption and bucket policy. Their SSE-KMS keys join the keys above.
for region in "${regions[@]}"; do
  run "$out/s3express/$region" list-directory-buckets s3api list-directory-buckets --region "$region"
  for bucket in $(aws s3api list-directory-buckets --region "$region" --query 'Buckets[].Name' --output text 2>/dev/null); do
    [ "$bucket" != None ] || continue # the CLI prints None for a region without directory buckets
    d="$out/s3express/$region/$bucket"
    run "$d" get-bucket-encryption s3api get-bucket-encryption --bucket "$bucket" --region "$region"
    run "$d" get-bucket-policy s3api get-bucket-policy --bucket "$bucket" --region "$region"
  done
done
directory_keys=$(cat "$out"/s3express/*/*/get-bucket-encryption.json 2>/dev/null \
  | grep -o '"KMSMasterKeyID": *"[^"]*"' | sed 's/.*: *"\(.*\)"/\1/')
table_keys=$(cat "$out"/s3tables/*/*/get-table-bucket-encryption.json "$out"/s3tables/*/*/*/*/get-table-encryption.json \
  2>/dev/null | grep -o '"kmsKeyArn": *"[^"]*"' | sed 's/.*: *"\(.*\)"/\1/')
keys=$(printf '%s\n' $keys $table_keys $directory_keys | sort -u)
for key in $keys; do
  region=$(echo "$key" | awk -F: '/^arn:/ {print $4}')
  region=${region:-${regions[0]}}
  id=$(aws kms describe-key --key-id "$key" --region "$region" --query KeyMetadata.KeyId --output text 2>/dev/null || echo "${key##*/}")
  d="$out/kms/$region/$id"
  run "$d" describe-key kms describe-key --key-id "$key" --region "$region"
  run "$d" get-key-rotation-status kms get-key-rotation-status --key-id "$id" --region "$region"
  run "$d" get-key-policy kms get-key-policy --key-id "$id" --policy-name default --region "$region"
  run "$d" list-resource-tags kms list-resource-tags --key-id "$id" --region "$region"
done

# AWS Config, per region: the recorder and its status; where a recorder exists, the rules built on the
# managed rules s3-evidence compares with (by Source.SourceIdentifier, since rule names are chosen
# freely) plus those named in CONFIG_RULES, their per-resource results, and the history of every
# exported bucket and key in the period (PERIOD_START / PERIOD_END, ISO-8601 UTC; default: last month).
period_start=${PERIOD_START:-$(date -u -d "$(date -u +%Y-%m-01) -1 month" +%Y-%m-%dT00:00:00Z)}
period_end=${PERIOD_END:-$(date -u +%Y-%m-01T00:00:00Z)}
covered="['S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED','S3_BUCKET_SSL_REQUESTS_ONLY','S3_DEFAULT_ENCRYPTION_KMS','CMK_BACKING_KEY_ROTATION_ENABLED']"
for region in "${regions[@]}"; do
  d="$out/configservice/$region"
  run "$d" describe-configuration-recorders configservice describe-configuration-recorders --region "$region"
  run "$d" describe-configuration-recorder-status configservice describe-configuration-recorder-status --region "$region"
  grep -q '"name"' "$d/describe-configuration-recorders.json" 2>/dev/null || continue # no recorder: nothing more to read
  run "$d" describe-config-rules configservice describe-config-rules --region "$region"
  rules=$(aws configservice describe-config-rules --region "$region" --output text \
    --query "ConfigRules[?contains($covered, Source.SourceIdentifier)].ConfigRuleName" 2>/dev/null | tr '\t' '\n')
  for rule in $rules ${CONFIG_RULES:-}; do
    run "$d/get-compliance-details-by-config-rule" "${rule//[^A-Za-z0-9._-]/_}" configservice get-compliance-details-by-config-rule \
      --config-rule-name "$rule" --compliance-types COMPLIANT NON_COMPLIANT NOT_APPLICABLE --region "$region"
  done
  for bd in "$out"/s3api/*/; do
    bucket=$(basename "$bd")
    loc=$(grep -o '"LocationConstraint": *"[^"]*"' "$bd/get-bucket-location.json" 2>/dev/null | sed 's/.*: *"\(.*\)"/\1/')
    [ "$loc" = "EU" ] && loc=eu-west-1
    [ "${loc:-us-east-1}" = "$region" ] || continue
    h="$d/get-resource-config-history/AWS_S3_Bucket"
    run "$h" "${bucket//[^A-Za-z0-9._-]/_}" configservice get-resource-config-history \
      --resource-type AWS::S3::Bucket --resource-id "$bucket" --earlier-time "$period_start" --later-time "$period_end" --region "$region"
    run "$h" "${bucket//[^A-Za-z0-9._-]/_}.before" configservice get-resource-config-history \
      --resource-type AWS::S3::Bucket --resource-id "$bucket" --later-time "$period_start" --limit 1 --max-items 1 --region "$region"
  done
  for kd in "$out/kms/$region"/*/; do
    [ -d "$kd" ] || continue
    id=$(basename "$kd")
    h="$d/get-resource-config-history/AWS_KMS_Key"
    run "$h" "$id" configservice get-resource-config-history \
      --resource-type AWS::KMS::Key --resource-id "$id" --earlier-time "$period_start" --later-time "$period_end" --region "$region"
    run "$h" "$id.before" configservice get-resource-config-history \
      --resource-type AWS::KMS::Key --resource-id "$id" --later-time "$period_start" --limit 1 --max-items 1 --region "$region"
  done
done
echo "exported account $account to $out"
