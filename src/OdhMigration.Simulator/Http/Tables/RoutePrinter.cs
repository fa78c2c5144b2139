using System.Text.Json.Nodes;
using OdhMigration.Core.Manifests;

namespace OdhMigration.Simulator.Http.Tables;

/// <summary>
/// OpenShift's Route columns (openshift/openshift-apiserver pkg/route/printers/internalversion/printers.go,
/// printRoute): Name, Host/Port (the host, or "Pending"/the rejection reason while no router admitted it), Path,
/// Services (weights as percentages when there are alternate backends), Port (<c>&lt;all&gt;</c> when unset),
/// Termination (<c>edge/Redirect</c> style) and Wildcard.
/// </summary>
internal static class RoutePrinter
{
    public static IReadOnlyList<TableColumn> Columns { get; } =
    [
        TableColumn.NameColumn,
        BuiltinPrinters.Text("Host/Port", "Host is an alias/DNS that points to the service.", Host),
        BuiltinPrinters.Text("Path", "Path that the router watches for, to route traffic for to the service.", o => o.At("spec", "path")?.ToString() ?? string.Empty),
        BuiltinPrinters.Text("Services", "The services the route points to.", Services),
        BuiltinPrinters.Text("Port", "The target port on pods selected by the service this route points to.", o => o.At("spec", "port", "targetPort")?.ToString() is { Length: > 0 } p ? p : "<all>"),
        BuiltinPrinters.Text("Termination", "Indicates termination type.", Termination),
        BuiltinPrinters.Text("Wildcard", "Wildcard policy is the wildcard policy that was allowed where this route is exposed.", o => o.At("spec", "wildcardPolicy")?.ToString() ?? string.Empty),
    ];

    private static string Host(JsonObject route)
    {
        var host = route.At("spec", "host")?.ToString() ?? string.Empty;
        if (route.At("status", "ingress") is not JsonArray ingress)
        {
            return host;
        }

        int admitted = 0, rejected = 0;
        var reason = string.Empty;
        foreach (var entry in ingress.OfType<JsonObject>())
        {
            var condition = BuiltinPrinters.Items(entry["conditions"]).FirstOrDefault(c => c.Str("type") == "Admitted");
            switch (condition?.Str("status"))
            {
                case "True":
                    admitted++;
                    break;
                case "False":
                    rejected++;
                    reason = condition.Str("reason") ?? string.Empty;
                    break;
            }
        }

        return (admitted, rejected) switch
        {
            (0, > 0) => reason,
            (_, > 0) => $"{host} ... {rejected} rejected",
            (0, _) => "Pending",
            _ => host,
        };
    }

    private static string Services(JsonObject route)
    {
        var backends = new List<JsonObject>();
        if (route.At("spec", "to") is JsonObject to)
        {
            backends.Add(to);
        }

        backends.AddRange(BuiltinPrinters.Items(route.At("spec", "alternateBackends")));
        var total = backends.Sum(b => b["weight"] is JsonValue w && w.TryGetValue<long>(out var n) ? n : 0);
        return string.Join(',', backends.Select(b =>
        {
            var name = b.Str("name") ?? string.Empty;
            if (b["weight"] is not JsonValue weight || !weight.TryGetValue<long>(out var value) || (backends.Count == 1 && total != 0))
            {
                return name;
            }

            return total == 0 ? $"{name}(0%)" : $"{name}({value * 100 / total}%)";
        }));
    }

    private static string Termination(JsonObject route)
    {
        if (route.At("spec", "tls") is not JsonObject tls)
        {
            return string.Empty;
        }

        var policy = tls.Str("termination") ?? string.Empty;
        return tls.Str("insecureEdgeTerminationPolicy") is { Length: > 0 } insecure ? $"{policy}/{insecure}" : policy;
    }
}
