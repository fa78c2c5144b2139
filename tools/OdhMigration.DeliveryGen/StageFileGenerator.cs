using System.Text.Json.Nodes;
using OdhMigration.Cli.Commands;
using OdhMigration.Core.Manifests;

namespace OdhMigration.DeliveryGen;

/// <summary>
/// Writes the per-stage delivery files (Tekton Task, Tekton StepAction, GitHub composite action) from the real
/// command definitions, so params and inputs follow the tools' options as they grow. The committed files are
/// checked against this output by the StageFilesUpToDate test (through <see cref="DeliveryDrift"/>); `--write`
/// rewrites them.
/// </summary>
public static class StageFileGenerator
{
    public const string Header = "# Generated from src/OdhMigration.Cli/Commands by tools/OdhMigration.DeliveryGen.\n" +
        $"# Do not edit by hand: run `{DeliveryDrift.WriteCommand}`.\n";

    public static IReadOnlyDictionary<string, string> Generate()
    {
        var files = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var stage in StageCatalog.All)
        {
            var delivery = StageDelivery.Of(stage.Name);
            var options = ToolOptions.For(stage);
            files[$"tekton/task/{delivery.Tool}/{delivery.Tool}.yaml"] = Header + Yaml.Serialize(Task(stage, delivery, options));
            files[$"tekton/stepaction/{delivery.Tool}/{delivery.Tool}.yaml"] = Header + Yaml.Serialize(StepAction(stage, delivery, options));
            files[$"github-actions/{delivery.Tool}/action.yml"] = Header + GitHubActionFile.Render(stage, delivery, options);
        }

        files["images/odh-migrate/Dockerfile"] = ImageFile.Render("odh-migrate", "Every stage as a subcommand (odh-migrate discover ...), plus pipelineruns.");
        foreach (var stage in StageCatalog.All)
        {
            files[$"images/odh-{stage.Name}/Dockerfile"] = ImageFile.Render($"odh-{stage.Name}", stage.Description);
        }

        return files;
    }

    private static JsonObject Metadata(StageDelivery delivery, string kind) => new()
    {
        ["name"] = delivery.Tool,
        ["labels"] = new JsonObject
        {
            ["app.kubernetes.io/version"] = StageDelivery.Version,
            ["app.kubernetes.io/part-of"] = "odh-migration-tasks",
        },
        ["annotations"] = new JsonObject
        {
            ["tekton.dev/pipelines.minVersion"] = "1.0.0",
            ["tekton.dev/categories"] = "Kubernetes, Deployment",
            ["tekton.dev/tags"] = "kserve, opendatahub, openshift-ai, migration",
            ["tekton.dev/displayName"] = $"{delivery.Tool} ({kind})",
            ["tekton.dev/platforms"] = "linux/amd64,linux/arm64",
            ["tekton.dev/catalog"] = $"odh-migration-tasks.{delivery.Tool}",
            ["tekton.dev/catalog-support-tier"] = "community",
            ["artifacthub.io/category"] = "integration-delivery",
            ["artifacthub.io/provider"] = "OdhMigrationTasks",
            ["artifacthub.io/changes"] = $"- kind: added\n  description: first release of {delivery.Tool}\n",
        },
    };

    private static JsonObject Task(StageDefinition stage, StageDelivery delivery, IReadOnlyList<ToolOption> options)
    {
        var exposed = options.Where(o => !ToolOptions.BoundByTask.Contains(o.Name)).ToList();
        var parameters = new JsonArray { ImageParam(delivery) };
        foreach (var option in exposed)
        {
            parameters.Add(Param(option));
        }

        var args = new JsonArray { "--workspace", "$(workspaces.workspace.path)", "--result-dir", "/tekton/results" };
        if (ToolOptions.IsGated(options))
        {
            args.Add(ToolOptions.RequireGate);
            args.Add("true");
        }

        foreach (var option in exposed)
        {
            args.Add(option.Name);
            args.Add($"$(params.{option.ParamName})");
        }

        var results = new JsonArray();
        foreach (var (name, description) in delivery.Results)
        {
            results.Add(new JsonObject { ["name"] = name, ["description"] = description });
        }

        return new JsonObject
        {
            ["apiVersion"] = "tekton.dev/v1",
            ["kind"] = "Task",
            ["metadata"] = Metadata(delivery, "Task"),
            ["spec"] = new JsonObject
            {
                ["description"] = Description(stage, delivery),
                ["params"] = parameters,
                ["workspaces"] = new JsonArray
                {
                    new JsonObject
                    {
                        ["name"] = "workspace",
                        ["description"] = "The migration workspace shared by every stage of one namespace's run; this stage writes its documents here",
                    },
                    new JsonObject
                    {
                        ["name"] = "kubeconfig",
                        ["description"] = "Optional kubeconfig for a remote cluster (set the kubeconfig param to /workspace/kubeconfig/<file>); without it the step uses the TaskRun's ServiceAccount",
                        ["optional"] = true,
                        ["readOnly"] = true,
                    },
                },
                ["results"] = results,
                ["steps"] = new JsonArray { TaskStep(delivery, args) },

                // The root filesystem is read-only; the tools write only to the workspace and the results, and this
                // keeps /tmp writable for anything the runtime might still want there.
                ["volumes"] = new JsonArray { new JsonObject { ["name"] = "tmp", ["emptyDir"] = new JsonObject { ["sizeLimit"] = "64Mi" } } },
            },
        };
    }

    private static JsonObject StepAction(StageDefinition stage, StageDelivery delivery, IReadOnlyList<ToolOption> options)
    {
        var parameters = new JsonArray { ImageParam(delivery) };
        var args = new JsonArray();
        if (ToolOptions.IsGated(options))
        {
            args.Add(ToolOptions.RequireGate);
            args.Add("true");
        }

        foreach (var option in options.Where(o => o.Name != ToolOptions.RequireGate))
        {
            var param = Param(option);
            if (option.Name == "--workspace")
            {
                param["description"] = "Path of the migration workspace inside the step (e.g. a workspace path of the enclosing Task); required";
                param.Remove("default");
            }
            else if (option.Name == "--result-dir")
            {
                param["description"] = "Folder for the result files; /tekton/results makes them results of the enclosing Task, which must declare them (verdict and the stage's counts and sha256)";
                param["default"] = "/tekton/results";
            }

            parameters.Add(param);
            args.Add(option.Name);
            args.Add($"$(params.{option.ParamName})");
        }

        var step = Step(delivery, args);
        step.Remove("name");
        step.Remove("computeResources");
        var spec = new JsonObject
        {
            ["description"] = Description(stage, delivery),
            ["params"] = parameters,
        };
        foreach (var (key, value) in step.ToList())
        {
            step.Remove(key);
            spec[key] = value;
        }

        return new JsonObject
        {
            ["apiVersion"] = "tekton.dev/v1beta1",
            ["kind"] = "StepAction",
            ["metadata"] = Metadata(delivery, "StepAction"),
            ["spec"] = spec,
        };
    }

    private static string Description(StageDefinition stage, StageDelivery delivery) =>
        $"{delivery.Tool}: {stage.Description}\n" +
        "Runs the tool's image without a shell (command and args only), as non-root on a read-only root filesystem, with no privilege escalation and no capabilities. " +
        "Every param is one of the tool's options (an empty value means the option is not given); the real output is written to the workspace, " +
        "and only small results (verdict, counts, sha256, a plan or validation summary) are returned.\n" +
        (ToolOptions.IsGated(ToolOptions.For(stage))
            ? "Always runs with --require-gate: without the approved sha256 in its expect-*-sha256 param it changes nothing and fails (exit 3); only a dry run needs none.\n"
            : "");

    private static JsonObject ImageParam(StageDelivery delivery) => new()
    {
        ["name"] = "image",
        ["type"] = "string",
        ["description"] = $"Image of {delivery.Tool}; pin it by digest (<repository>@sha256:<digest>) or mirror it",
        ["default"] = delivery.DefaultImage,
    };

    private static JsonObject Param(ToolOption option)
    {
        var description = option.Description;
        if (option.IsPairList)
        {
            description += " (here: one <key>=<value> pair)";
        }
        else if (option.IsList)
        {
            description += " (several: comma-separated)";
        }
        else if (option.IsBool)
        {
            description += " (\"true\" or \"false\")";
        }

        return new JsonObject
        {
            ["name"] = option.ParamName,
            ["type"] = "string",
            ["description"] = description,
            ["default"] = option.DefaultText,
        };
    }

    private static JsonObject TaskStep(StageDelivery delivery, JsonArray args)
    {
        var step = Step(delivery, args);
        step["volumeMounts"] = new JsonArray { new JsonObject { ["name"] = "tmp", ["mountPath"] = "/tmp" } };
        return step;
    }

    private static JsonObject Step(StageDelivery delivery, JsonArray args) => new()
    {
        ["name"] = delivery.Stage,
        ["image"] = "$(params.image)",
        ["command"] = new JsonArray { $"/app/{delivery.Tool}" },
        ["args"] = args,
        ["env"] = new JsonArray
        {
            // Chiseled images have no passwd entry for arbitrary OpenShift UIDs; nothing may depend on $HOME.
            new JsonObject { ["name"] = "HOME", ["value"] = "/tmp" },

            // No diagnostics IPC socket: nothing is written outside the workspace and results on a read-only root.
            new JsonObject { ["name"] = "DOTNET_EnableDiagnostics", ["value"] = "0" },
        },
        ["computeResources"] = new JsonObject
        {
            ["requests"] = new JsonObject { ["cpu"] = "100m", ["memory"] = "128Mi" },
            ["limits"] = new JsonObject { ["memory"] = "512Mi" },
        },
        ["securityContext"] = new JsonObject
        {
            ["runAsNonRoot"] = true,
            ["readOnlyRootFilesystem"] = true,
            ["allowPrivilegeEscalation"] = false,
            ["capabilities"] = new JsonObject { ["drop"] = new JsonArray { "ALL" } },
            ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" },
        },
    };
}
