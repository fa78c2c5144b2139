using System.CommandLine;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands.Options;

/// <summary>How each InferenceService is rewritten: strategy, target, visibility, model and storage overrides.</summary>
public static class TransformChoiceOptions
{
    public static Option<string?> Strategy()
    {
        var option = new Option<string?>("--strategy") { Description = "side-by-side, in-place or new-namespace (default: side-by-side for Serverless, new-namespace for ModelMesh)" };
        option.AcceptOnlyFromAmong(Strategies.All);
        return option;
    }

    public static Option<string?> TargetNamespace()
    {
        var option = new Option<string?>("--target-namespace") { Description = "Target namespace for the new-namespace strategy" }.NotBlank();
        option.Validators.Add(result =>
        {
            foreach (var token in result.Tokens.Where(t => !string.IsNullOrWhiteSpace(t.Value)))
            {
                if (TransformOptions.TargetNamespaceProblem(token.Value) is { } problem)
                {
                    result.AddError(problem);
                }
            }
        });
        return option;
    }

    public static Option<string> Visibility()
    {
        var option = new Option<string>("--visibility") { Description = "preserve (cluster-local stays internal) or exposed", DefaultValueFactory = _ => new TransformOptions().Visibility };
        option.AcceptOnlyFromAmong(TransformOptions.Visibilities);
        return option;
    }

    public static Option<bool> IgnoreExistingNamespace() => new("--ignore-existing-ns") { Description = "Allow a target namespace that already exists" };

    public static Option<bool> CopyPermissions() => new("--copy-permissions") { Description = "Recreate the dashboard permission RoleBindings in the target namespace" };

    public static Option<string> Opset1()
    {
        var option = new Option<string>("--opset1") { Description = "OpenVINO opset1 models: compat, upgrade or skip", DefaultValueFactory = _ => new TransformOptions().Opset1 };
        option.AcceptOnlyFromAmong(TransformOptions.Opset1Choices);
        return option;
    }

    public static Option<bool> NoOvmsAutoVersioning() => new("--no-ovms-auto-versioning") { Description = "Do not annotate kept OVMS storage with storage.kserve.io/ovms-auto-versioning" };

    public static Option<string[]> RuntimeTemplate() => new("--runtime-template") { Description = "Template for a custom ModelMesh runtime: <source-runtime>=<template> (repeatable)" };

    public static Option<string[]> StoragePath() => new("--storage-path") { Description = "New storage.path for an ISVC: <isvc>=<path> (repeatable)" };

    public static Option<string[]> StorageUri() => new("--storage-uri") { Description = "New storageUri for an ISVC: <isvc>=<uri> (repeatable)" };

    public static Option<string?> TemplateNamespace() => new("--template-namespace")
    {
        Description = "Namespace of the runtime Templates (opendatahub or redhat-ods-applications): export copies them, transform builds ModelMesh runtimes from the copies (default: the applications namespace)",
    };
}
