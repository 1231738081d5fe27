-- A stand-in for nvim-dap with the parts of its API the plugin uses (adapters, run, listeners,
-- repl.append), recording what it is handed: the test then drives the real debugpy adapter with
-- exactly that. nvim-dap itself is not in a package registry the tests can install from.
local M = {
  adapters = {},
  configurations = {},
  listeners = { before = {}, after = {} },
  repl = {},
  handed = {},
}
for _, when in ipairs({ "before", "after" }) do
  setmetatable(M.listeners[when], {
    __index = function(listeners, event)
      listeners[event] = {}
      return listeners[event]
    end,
  })
end

function M.run(configuration)
  table.insert(M.handed, { adapter = M.adapters[configuration.type], configuration = configuration })
end

M.repl_lines = {}
function M.repl.append(line)
  table.insert(M.repl_lines, line)
end

--- What nvim-dap does when the session ends: its listeners hear it.
function M.terminate()
  for _, listener in pairs(M.listeners.after.event_terminated) do
    listener()
  end
end

return M
