namespace TinyApp;

/// <summary>The network "flowers" of nets.json: 4 measurements, 3 kinds.</summary>
[NetGen.Network("flowers")]
internal sealed partial class FlowersNet;
