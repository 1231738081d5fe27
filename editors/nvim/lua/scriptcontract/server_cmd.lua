-- Whether the server's command, named without a folder, may be started from where PATH finds it.
--
-- A workflow script's run may write anywhere below its project's top level. With a folder of
-- the project on PATH (direnv's `PATH_add bin`, `./node_modules/.bin`, a relative entry), a run
-- could leave `bin/scriptcontract` there, and Neovim would start it as the language server,
-- outside every sandbox. So the first match inside the project or the current folder, or
-- through a relative PATH entry, is refused (not passed over for the next: it is the one the
-- system would start). A command with a folder in it is the user's choice, used as given.
local M = {}

local function real(path)
  return vim.uv.fs_realpath(path) or vim.fs.normalize(vim.fn.fnamemodify(path, ":p"))
end

local function inside(path, folder)
  return folder == "/" or path == folder or path:sub(1, #folder + 1) == folder .. "/"
end

--- Why `cmd` is not started, or nil when it may be.
---@param cmd any the configured `cmd`
---@param folders (string|nil)[] the project's root and the current folder
---@return string|nil
function M.refusal(cmd, folders)
  if type(cmd) ~= "table" or type(cmd[1]) ~= "string" or cmd[1]:find("/", 1, true) then
    return nil
  end
  local name = cmd[1]
  -- A folder that is the home folder (or above it) is no project: runs write only below
  -- their project's top level, and refusing it would refuse ~/.local/bin (pipx's folder).
  local home = real(vim.uv.os_homedir() or "/")
  local avoided = {}
  for _, folder in pairs(folders) do
    local resolved = real(folder)
    if not inside(home, resolved) then
      table.insert(avoided, resolved)
    end
  end
  for _, entry in ipairs(vim.split(vim.env.PATH or "", ":", { plain = true })) do
    local candidate = (entry == "" and "." or entry) .. "/" .. name
    if vim.fn.executable(candidate) == 1 and vim.fn.isdirectory(candidate) == 0 then
      local where
      if entry:sub(1, 1) ~= "/" then
        where = string.format('through the relative PATH entry "%s"', entry)
      else
        local found_in = real(entry)
        for _, folder in ipairs(avoided) do
          if inside(found_in, folder) then
            where = "inside " .. folder
            break
          end
        end
      end
      if where == nil then
        return nil
      end
      return string.format(
        -- What to do first: a notification is cut to one line.
        'not started, PATH finds it where runs write: setup({ cmd = { "/full/path", "serve" } }); '
          .. "the %s found on PATH, %s, lies %s, where a workflow script's run could have put it",
        name,
        candidate,
        where
      )
    end
  end
  return nil
end

local told = {}

--- Tells the user once why the server is not started.
---@param message string
function M.tell(message)
  if not told[message] then
    told[message] = true
    require("scriptcontract.run").notify(message, vim.log.levels.ERROR)
  end
end

return M
