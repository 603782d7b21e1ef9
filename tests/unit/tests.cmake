walras_add_unit_test(test_yaml SOURCES unit/test_yaml.c)
