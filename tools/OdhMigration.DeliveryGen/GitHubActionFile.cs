using System.Text;
using OdhMigration.Cli.Commands;

namespace OdhMigration.DeliveryGen;

/// <summary>
/// Renders one stage's composite action: it runs the same image as Tekton with `docker run --user` set to the
/// runner's UID (no root, no Docker action). Inputs reach the script only through env, never interpolated into it.
/// </summary>
public static class GitHubActionFile
{
    /// <summary>Options the action derives from its own inputs (folders mounted into the container).</summary>
    public static readonly IReadOnlySet<string> MountedPaths = new HashSet<string>(StringComparer.Ordinal) { "--workspace", "--result-dir", "--kubeconfig", "--snapshot" };

    public static string EnvName(string paramName) => "IN_" + paramName.ToUpperInvariant().Replace('-', '_');

    public static string Render(StageDefinition stage, StageDelivery delivery, IReadOnlyList<ToolOption> options)
    {
        var passed = options.Where(o => !MountedPaths.Contains(o.Name) && o.Name != ToolOptions.RequireGate).ToList();
        var b = new StringBuilder();
        b.Append($"name: {delivery.Tool}\n");
        b.Append($"description: {Quote($"Run {delivery.Tool} (OdhMigrationTasks) in its container image, as the runner's non-root user")}\n");
        b.Append("author: OdhMigrationTasks contributors\n");
        b.Append("inputs:\n");
        Input(b, "image", $"Image of {delivery.Tool}; pin it by digest for production", delivery.DefaultImage);
        Input(b, "workspace", "Migration workspace folder, relative to the GitHub workspace (shared by the stages; upload it as an artifact between jobs)", "odh-workspace");
        Input(b, "kubeconfig", "Path of a kubeconfig file (default: $KUBECONFIG); mounted read-only, never uploaded", "");
        Input(b, "snapshot", "Offline cluster snapshot file or folder, relative to the GitHub workspace (instead of a cluster)", "");
        foreach (var option in passed)
        {
            var description = option.Description + (option.DefaultText.Length > 0 ? $" (tool default: {option.DefaultText})" : "") + "; empty: not given";
            Input(b, option.ParamName, description, "");
        }

        b.Append("outputs:\n");
        foreach (var (name, description) in delivery.Results)
        {
            b.Append($"  {name}:\n    description: {Quote(description)}\n    value: ${{{{ steps.run.outputs.{name} }}}}\n");
        }

        b.Append("runs:\n  using: composite\n  steps:\n");
        b.Append("    - id: run\n      shell: bash\n      env:\n");
        b.Append("        IN_IMAGE: ${{ inputs.image }}\n        IN_WORKSPACE: ${{ inputs.workspace }}\n        IN_KUBECONFIG: ${{ inputs.kubeconfig }}\n        IN_SNAPSHOT: ${{ inputs.snapshot }}\n");
        foreach (var option in passed)
        {
            b.Append($"        {EnvName(option.ParamName)}: ${{{{ inputs.{option.ParamName} }}}}\n");
        }

        b.Append("      run: |\n");
        foreach (var line in Script(delivery, passed, ToolOptions.IsGated(options)))
        {
            b.Append(line.Length == 0 ? "\n" : $"        {line}\n");
        }

        return b.ToString();
    }

    private static IEnumerable<string> Script(StageDelivery delivery, IReadOnlyList<ToolOption> passed, bool gated)
    {
        yield return "set -euo pipefail";
        yield return "ws=\"$GITHUB_WORKSPACE/$IN_WORKSPACE\"";
        yield return "results=\"$(mktemp -d \"$RUNNER_TEMP/odh-results.XXXXXX\")\"";
        yield return "mkdir -p \"$ws\"";
        yield return "chmod 0777 \"$results\"";
        yield return "mounts=(-v \"$GITHUB_WORKSPACE:/github/workspace\" -v \"$results:/results\")";
        yield return "args=(--workspace \"/github/workspace/$IN_WORKSPACE\" --result-dir /results)";
        yield return "kubeconfig=\"${IN_KUBECONFIG:-${KUBECONFIG:-}}\"";
        yield return "if [[ -n \"$kubeconfig\" ]]; then";
        yield return "  mounts+=(-v \"$kubeconfig:/kube/config:ro\")";
        yield return "  args+=(--kubeconfig /kube/config)";
        yield return "fi";
        yield return "if [[ -n \"$IN_SNAPSHOT\" ]]; then args+=(--snapshot \"/github/workspace/$IN_SNAPSHOT\"); fi";
        if (gated)
        {
            yield return "# The approval gate is always on: without the approved sha256 nothing changes (exit 3); a dry run needs none.";
            yield return "args+=(--require-gate true)";
        }

        yield return "# An empty input means the option is not given, so the tool's own default applies.";
        foreach (var option in passed)
        {
            var env = EnvName(option.ParamName);
            yield return $"if [[ -n \"${env}\" ]]; then args+=({option.Name} \"${env}\"); fi";
        }

        yield return "status=0";
        yield return $"docker run --rm --user \"$(id -u):$(id -g)\" -e HOME=/tmp -e DOTNET_EnableDiagnostics=0 --read-only --tmpfs /tmp --cap-drop ALL --security-opt no-new-privileges --entrypoint /app/{delivery.Tool} \"${{mounts[@]}}\" \"$IN_IMAGE\" \"${{args[@]}}\" || status=$?";
        yield return "# Multi-line results (plan-summary, validation-summary) need a delimiter no value can hold.";
        yield return "for file in \"$results\"/*; do";
        yield return "  [[ -f \"$file\" ]] || continue";
        yield return "  delimiter=\"odh_$(od -An -N12 -tx1 /dev/urandom | tr -d ' \\n')\"";
        yield return "  { echo \"$(basename \"$file\")<<$delimiter\"; head -c 4096 \"$file\"; echo; echo \"$delimiter\"; } >> \"$GITHUB_OUTPUT\"";
        yield return "done";
        yield return "exit \"$status\"";
    }

    private static void Input(StringBuilder b, string name, string description, string defaultValue) =>
        b.Append($"  {name}:\n    description: {Quote(description)}\n    required: false\n    default: {Quote(defaultValue)}\n");

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
