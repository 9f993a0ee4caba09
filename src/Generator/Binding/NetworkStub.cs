using NetGen.Generator.Model;

namespace NetGen.Generator.Binding;

/// <summary>
/// A <c>[Network]</c> class whose network could not be generated (its spec has errors, is missing, or is defined twice),
/// but which can hold a stub of the network's members: see <see cref="Emit.NetworkEmitter.EmitStub"/>.
/// </summary>
/// <param name="Message">What the stub's members throw: one line, naming the NG errors.</param>
internal sealed record NetworkStub(NetworkClass Class, string NetworkName, string Message);
