namespace TinyApp;

/// <summary>The network "flowers" of nets.json: 4 measurements, 3 kinds.</summary>
[NetGen.Network("flowers")]
public partial class FlowersNet;
