// Every network of nets.json gets a class and a place in NetGen.Mnist.NetworkCatalog: adding a network to nets.json makes it
// trainable with --net NAME without writing C# (mnist and mnist_cnn keep their own classes, MnistNet and MnistCnn).
[assembly: NetGen.NetworkCatalog(Namespace = "NetGen.Mnist")]
