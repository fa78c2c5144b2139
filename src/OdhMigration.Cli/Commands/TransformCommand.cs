using System.CommandLine;
using OdhMigration.Cli.Commands.Options;
using OdhMigration.Cli.Hosting;
using OdhMigration.Core.Common;
using OdhMigration.Core.Stages.Transform;
using OdhMigration.Core.Workspace.Vocabulary;

namespace OdhMigration.Cli.Commands;

public static class TransformCommand
{
    public const string Description = "Turn the exported originals into RawDeployment manifests (raw/ and raw-original-names/) and plan.json; never contacts a cluster.";

    public static Command Create(CliIo io)
    {
        var common = new CommonOptions();
        var strategy = TransformChoiceOptions.Strategy();
        var targetNamespace = TransformChoiceOptions.TargetNamespace();
        var visibility = TransformChoiceOptions.Visibility();
        var ignoreExistingNs = TransformChoiceOptions.IgnoreExistingNamespace();
        var copyPermissions = TransformChoiceOptions.CopyPermissions();
        var opset1 = TransformChoiceOptions.Opset1();
        var noAutoVersioning = TransformChoiceOptions.NoOvmsAutoVersioning();
        var runtimeTemplate = TransformChoiceOptions.RuntimeTemplate();
        var storagePath = TransformChoiceOptions.StoragePath();
        var storageUri = TransformChoiceOptions.StorageUri();
        var templateNamespace = TransformChoiceOptions.TemplateNamespace();
        var waves = WaveOptions.Waves();
        var waveSize = WaveOptions.WaveSize();
        var waveOrder = WaveOptions.WaveOrder();

        var command = new Command("transform", Description);
        common.AddTo(command);
        foreach (var option in new Option[] { strategy, targetNamespace, visibility, ignoreExistingNs, copyPermissions, opset1, noAutoVersioning, runtimeTemplate, storagePath, storageUri, templateNamespace, waves, waveSize, waveOrder })
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
                Visibility = run.Get(visibility)!,
                IgnoreExistingNamespace = run.Get(ignoreExistingNs),
                CopyPermissions = run.Get(copyPermissions),
                Opset1 = run.Get(opset1)!,
                OvmsAutoVersioning = !run.Get(noAutoVersioning),
                RuntimeTemplates = OptionParsing.Pairs(runtimeTemplate.Name, run.Get(runtimeTemplate)),
                StoragePaths = OptionParsing.Pairs(storagePath.Name, run.Get(storagePath)),
                StorageUris = OptionParsing.Pairs(storageUri.Name, run.Get(storageUri)),
                TemplateNamespace = run.Get(templateNamespace),
                Waves = run.Get(waves),
                WaveSize = run.Get(waveSize),
                WaveOrder = run.Get(waveOrder),
            };
            UsageProblems.ThrowIfAny(options.Problems());
            return new TransformEngine(run.Log, TransformerCatalog.All).RunAsync(options, layout, token);
        }, ct));
        return command;
    }
}
