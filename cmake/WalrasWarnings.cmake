# Strict warnings everywhere; CI turns them into errors (WALRAS_WERROR).
function(walras_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wshadow
    -Wstrict-prototypes -Wmissing-prototypes -Wno-unused-parameter)
  if(WALRAS_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(WALRAS_SANITIZE)
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
      -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
    target_link_options(${target} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
