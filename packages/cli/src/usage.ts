/**
 * The help text, written by hand rather than generated so that it reads like a man page: commander's
 * generated help has no room for exit statuses, input rules or examples.
 */
export const USAGE = `NAME
    lb-doctor - find LoadBalancer IP conflicts (MetalLB and other controllers)

SYNOPSIS
    lb-doctor analyze [--format table|json|markdown|sarif] [--metallb-lb-class CLASS]
                      [--fail-on error|warning|never] [--cluster NAME] [NAME=]PATH...
    lb-doctor --help | --version

DESCRIPTION
    Reads Kubernetes objects and predicts, for every LoadBalancer Service, what
    MetalLB does at its next reconcile, which controllers act on it, and what
    is wrong (IP conflicts, pools, sharing, controller contention), with fixes.

    Input is YAML or JSON: files, folders (searched recursively for .yaml, .yml
    and .json files, in sorted order) and - for standard input. Multi-document
    YAML, kind: List and "kubectl get -o yaml|json" output are all read. Plain
    manifests without status work as a pre-apply lint; full dumps
    (kubectl get svc,ipaddresspools,... -A -o yaml) give the complete picture.
    A kind absent from the input counts as unknown, not as "none".

    Without NAME= all inputs form one cluster (see --cluster). With NAME=PATH
    each input belongs to the named cluster; several arguments may name the
    same cluster, and the clusters are analysed as a fleet, including
    cross-cluster rules (the same IP announced in two clusters).

OPTIONS
    --format FORMAT
        table (default): a summary readable in an 80-column terminal.
        json: the full report (clusters, services, findings, remediations).
        markdown: for pull-request comments, details collapsed.
        sarif: SARIF 2.1.0 for code scanning in CI pipelines.

    --fail-on LEVEL
        error (default), warning or never: the lowest finding severity that
        makes the exit status 1. Info findings never do.

    --metallb-lb-class CLASS
        MetalLB's --lb-class, for input that does not contain the MetalLB
        controller Deployment. An empty CLASS means MetalLB runs without one.

    --cluster NAME
        The cluster name for inputs given without NAME= (default: default).

    -h, --help
        Print this text.

    -V, --version
        Print the version.

EXIT STATUS
    0   No finding reaches --fail-on.
    1   At least one finding reaches --fail-on.
    2   Unusable input or arguments: a missing or unreadable file, invalid
        YAML or JSON, a folder without manifests, no Kubernetes objects. One
        line on standard error names the file and the problem.

    Objects that parse but cannot be used (no kind, not an object, the
    removed metallb.io AddressPool) do not stop the analysis: each is reported
    as a warning on standard error, and in the table, markdown and SARIF
    output. The JSON output stays exactly the report.

EXAMPLES
    Lint manifests before applying them:
        lb-doctor analyze k8s/

    Analyse a live cluster:
        kubectl get svc,ns,nodes,deploy,ds,ipaddresspools,l2advertisements \\
          -A -o yaml | lb-doctor analyze -

    Two clusters, failing on warnings, as SARIF for code scanning:
        lb-doctor analyze --fail-on warning --format sarif \\
          east=dumps/east.yaml west=dumps/west/ > lb-doctor.sarif

    The full report for scripts:
        lb-doctor analyze --format json dump.json | jq '.clusters[].services[]'
`;
