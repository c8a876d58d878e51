Console.WriteLine("SafetyPrograms CLI: under construction.");
return 0;
