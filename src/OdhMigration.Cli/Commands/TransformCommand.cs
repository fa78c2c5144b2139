using System.CommandLine;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands;

public static class TransformCommand
{
    public const string Description = "Turn the exported originals into RawDeployment manifests (raw/ and raw-original-names/) and plan.json; never contacts a cluster.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var strategy = new Option<string?>("--strategy") { Description = "side-by-side, in-place or new-namespace (default: side-by-side for Serverless, new-namespace for ModelMesh)" };
        strategy.AcceptOnlyFromAmong(Strategies.All);
        var targetNamespace = new Option<string?>("--target-namespace") { Description = "Target namespace for the new-namespace strategy" };
        var visibility = new Option<string>("--visibility") { Description = "preserve (cluster-local stays internal) or exposed", DefaultValueFactory = _ => "preserve" };
        visibility.AcceptOnlyFromAmong("preserve", "exposed");
        var ignoreExistingNs = new Option<bool>("--ignore-existing-ns") { Description = "Allow a target namespace that already exists" };
        var copyPermissions = new Option<bool>("--copy-permissions") { Description = "Recreate the dashboard permission RoleBindings in the target namespace" };
        var opset1 = new Option<string>("--opset1") { Description = "OpenVINO opset1 models: compat, upgrade or skip", DefaultValueFactory = _ => "compat" };
        opset1.AcceptOnlyFromAmong("compat", "upgrade", "skip");
        var noAutoVersioning = new Option<bool>("--no-ovms-auto-versioning") { Description = "Do not annotate kept OVMS storage with storage.kserve.io/ovms-auto-versioning" };
        var runtimeTemplate = new Option<string[]>("--runtime-template") { Description = "Template for a custom ModelMesh runtime: <source-runtime>=<template> (repeatable)" };
        var storagePath = new Option<string[]>("--storage-path") { Description = "New storage.path for an ISVC: <isvc>=<path> (repeatable)" };
        var storageUri = new Option<string[]>("--storage-uri") { Description = "New storageUri for an ISVC: <isvc>=<uri> (repeatable)" };
        var templateNamespace = new Option<string?>("--template-namespace") { Description = "Namespace whose exported Templates build ModelMesh runtimes (opendatahub or redhat-ods-applications)" };

        var command = new Command("transform", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { strategy, targetNamespace, visibility, ignoreExistingNs, copyPermissions, opset1, noAutoVersioning, runtimeTemplate, storagePath, storageUri, templateNamespace })
        {
            command.Options.Add(option);
        }

        command.SetAction((parse, ct) => StageRunner.RunAsync(new StageInvocation("transform", parse, common, io.Stdout, io.Stderr), (run, token) =>
        {
            var layout = run.Workspace();
            var options = new TransformOptions
            {
                Strategy = run.Get(strategy),
                TargetNamespace = run.Get(targetNamespace),
                Visibility = run.Get(visibility) ?? "preserve",
                IgnoreExistingNamespace = run.Get(ignoreExistingNs),
                CopyPermissions = run.Get(copyPermissions),
                Opset1 = run.Get(opset1) ?? "compat",
                OvmsAutoVersioning = !run.Get(noAutoVersioning),
                RuntimeTemplates = OptionParsing.Pairs("--runtime-template", run.Get(runtimeTemplate)),
                StoragePaths = OptionParsing.Pairs("--storage-path", run.Get(storagePath)),
                StorageUris = OptionParsing.Pairs("--storage-uri", run.Get(storageUri)),
                TemplateNamespace = run.Get(templateNamespace),
            };
            return new TransformEngine(run.Log, TransformerCatalog.All).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
