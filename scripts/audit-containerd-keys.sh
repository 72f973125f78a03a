#!/bin/bash
# Compare the keys containerd decodes across every patch release of each family
# (the `toml` tags of the daemon and CRI config types, and the fields of the runc
# Options the CRI decodes runtime options into), and print the keys that only
# some patches of a family have. Those ranges are PATCH_KEYS in
# src/model/containerd/keys.ts; the family schemas in schemas/containerd/ hold
# every key any patch of the family decodes.
#
# usage: scripts/audit-containerd-keys.sh /path/to/containerd/git [families...]
# (a clone of github.com/containerd/containerd with its tags; reads with git show, builds nothing)
set -euo pipefail
repo=${1:?path to a containerd git repository}
shift
families=${*:-1.6 1.7 2.0 2.1 2.2 2.3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

keys() {
  local t=$1 files helper options
  files=$(git -C "$repo" ls-tree -r --name-only "$t" | grep -E "^(services/server/config|pkg/cri/config|cmd/containerd/server/config|internal/cri/config)/[a-z_]*\.go$" | grep -v -E "_test|windows|other" || true)
  for f in $files; do git -C "$repo" show "$t:$f" | grep -v '^\s*//' | grep -oE 'toml:"[^",]+' | sed 's/toml:"/cfg /' || true; done
  helper=$(git -C "$repo" grep -h 'runc/options"' "$t" -- pkg/cri/server/helpers.go 2>/dev/null | head -1 | awk '{print $NF}' | tr -d '"' || true)
  case "$helper" in
    github.com/containerd/containerd/runtime/v2/runc/options) options=runtime/v2/runc/options/oci.pb.go ;;
    github.com/containerd/containerd/api/types/runc/options) options=vendor/github.com/containerd/containerd/api/types/runc/options/oci.pb.go ;;
    *) options=$(git -C "$repo" ls-tree -r --name-only "$t" | grep -E "types/runc/options/oci.pb.go$" | head -1) ;;
  esac
  git -C "$repo" show "$t:$options" | sed -n '/^type Options struct/,/^}/p' | grep -oE '^\s+[A-Z][A-Za-z]+ ' | tr -d '\t ' | sed 's/^/runc /'
}

for fam in $families; do
  tags=$(git -C "$repo" tag | grep -E "^v${fam//./\\.}\.[0-9]+$" | sort -V)
  : > "$work/all"
  for t in $tags; do keys "$t" | sort -u > "$work/$t"; cat "$work/$t" >> "$work/all"; done
  sort -u "$work/all" -o "$work/all"
  echo "containerd $fam ($(echo $tags | wc -w) patch releases)"
  while read -r kind key; do
    have=$(for t in $tags; do if grep -qx "$kind $key" "$work/$t"; then echo "${t#v}"; fi; done)
    n=$(echo "$have" | grep -c . || true)
    if [ "$n" -ne "$(echo $tags | wc -w)" ]; then echo "  $kind $key: $(echo "$have" | head -1) .. $(echo "$have" | tail -1) ($n of $(echo $tags | wc -w))"; fi
  done < "$work/all"
done
